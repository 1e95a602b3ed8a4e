package dev.meshid.ca.authn;

import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Kubernetes service-account user name, {@code system:serviceaccount:<namespace>:<name>}, as found in a
 * token's {@code sub} claim or a TokenReview's {@code status.user.username}.
 *
 * @param namespace an RFC 1123 label (Kubernetes namespace rules)
 * @param name an RFC 1123 subdomain (Kubernetes service account rules)
 */
public record ServiceAccountUser(String namespace, String name) {
    /** The prefix of every service-account user name. */
    public static final String PREFIX = "system:serviceaccount:";
    /** The group every service account belongs to. */
    public static final String GROUP = "system:serviceaccounts";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public ServiceAccountUser {
        if (namespace == null || !LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace \"" + namespace + "\" is not a valid Kubernetes namespace");
        }
        if (name == null || !SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("service account \"" + name + "\" is not a valid Kubernetes name");
        }
    }

    /**
     * Parses {@code system:serviceaccount:<ns>:<sa>}; empty for anything else (a user, a node, a malformed name).
     */
    public static Optional<ServiceAccountUser> parse(String username) {
        if (username == null || !username.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = username.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ServiceAccountUser(parts[0], parts[1]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code spiffe://<td>/ns/<namespace>/sa/<name>}. */
    public SpiffeId spiffeId(TrustDomain trustDomain) {
        return trustDomain.serviceAccount(namespace, name);
    }

    /** The caller details with the given pod facts. */
    public KubernetesIdentity identity(Optional<String> podName, Optional<String> podUid) {
        return new KubernetesIdentity(namespace, name, podName, podUid);
    }

    /** {@code system:serviceaccount:<ns>:<sa>}. */
    public String username() {
        return PREFIX + namespace + ":" + name;
    }

    @Override
    public String toString() {
        return username();
    }
}
