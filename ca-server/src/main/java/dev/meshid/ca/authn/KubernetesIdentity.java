package dev.meshid.ca.authn;

import java.util.Objects;
import java.util.Optional;

/**
 * The Kubernetes facts behind an authenticated caller: its service account and, for bound tokens, its pod.
 *
 * @param namespace the service account's namespace
 * @param serviceAccount the service account's name
 * @param podName the pod the token is bound to, when known
 * @param podUid that pod's UID, when known
 */
public record KubernetesIdentity(String namespace, String serviceAccount, Optional<String> podName,
                                 Optional<String> podUid) {

    public KubernetesIdentity {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        podName = nonBlank(podName);
        podUid = nonBlank(podUid);
        if (namespace.isBlank() || serviceAccount.isBlank()) {
            throw new IllegalArgumentException("namespace and service account must not be blank");
        }
    }

    /** A service account without pod details. */
    public static KubernetesIdentity of(String namespace, String serviceAccount) {
        return new KubernetesIdentity(namespace, serviceAccount, Optional.empty(), Optional.empty());
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value == null ? Optional.empty() : value.filter(v -> !v.isBlank());
    }
}
