package dev.meshid.ca.authn;

import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a caller may obtain a certificate for another identity ({@code ImpersonatedIdentity}): only a
 * configured trusted node account (a node agent serving several pods), and only for a service account that
 * has a pod on the same node as the caller's own pod. Anything else is refused with the exact reason.
 */
public final class ImpersonationPolicy {
    public static final String NAME = "impersonation";

    private final TrustDomain trustDomain;
    private final Set<ServiceAccountUser> trustedNodeAccounts;
    private final PodDirectory pods;

    public ImpersonationPolicy(TrustDomain trustDomain, Set<ServiceAccountUser> trustedNodeAccounts, PodDirectory pods) {
        this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
        this.trustedNodeAccounts = Set.copyOf(trustedNodeAccounts);
        this.pods = Objects.requireNonNull(pods, "pods");
    }

    /** No trusted node accounts: every impersonation request is refused. */
    public static ImpersonationPolicy disabled(TrustDomain trustDomain) {
        return new ImpersonationPolicy(trustDomain, Set.of(), new PodDirectory() {
            @Override
            public Optional<Placement> pod(String namespace, String name) {
                return Optional.empty();
            }

            @Override
            public boolean runsOn(String node, String namespace, String serviceAccount) {
                return false;
            }
        });
    }

    /** The caller itself without a request (or a request for its own identity), else the impersonated caller. */
    public Caller apply(Caller caller, Optional<SpiffeId> requested) throws AuthenticationException {
        if (requested.isEmpty() || requested.get().equals(caller.identity())) {
            return caller;
        }
        SpiffeId target = requested.get();
        String asked = caller.identity() + " asks to impersonate " + target + ": ";
        KubernetesIdentity self = caller.kubernetes().orElseThrow(() -> fail(asked + "it authenticated by "
                + caller.authenticator() + ", not as a Kubernetes service account; only trusted node accounts "
                + trustedNodeAccounts + " may impersonate"));
        ServiceAccountUser account = new ServiceAccountUser(self.namespace(), self.serviceAccount());
        if (!trustedNodeAccounts.contains(account)) {
            throw fail(asked + account + " is not a trusted node account " + trustedNodeAccounts);
        }
        ServiceAccountUser wanted = serviceAccountOf(target).orElseThrow(() -> fail(asked + "the requested identity is "
                + "not spiffe://" + trustDomain + "/ns/<namespace>/sa/<service-account>"));
        String podName = self.podName().orElseThrow(() -> fail(asked + "its token names no pod (not a bound "
                + "service-account token), so its node is unknown"));
        PodDirectory.Placement placement = pods.pod(self.namespace(), podName).orElseThrow(() -> fail(asked
                + "its pod " + self.namespace() + "/" + podName + " does not exist"));
        if (self.podUid().isPresent() && !self.podUid().get().equals(placement.uid())) {
            throw fail(asked + "its token is bound to pod uid " + self.podUid().get() + ", but pod " + self.namespace()
                    + "/" + podName + " now has uid " + placement.uid() + " (the pod was replaced)");
        }
        String node = placement.nodeName().orElseThrow(() -> fail(asked + "its pod " + self.namespace() + "/"
                + podName + " is not scheduled on a node"));
        if (!pods.runsOn(node, wanted.namespace(), wanted.name())) {
            throw fail(asked + "no pod of service account " + wanted.namespace() + "/" + wanted.name()
                    + " runs on node " + node + " (the caller's pod " + self.namespace() + "/" + podName + " runs there)");
        }
        return new Caller(target, caller.authenticator(), Optional.of(KubernetesIdentity.of(wanted.namespace(),
                wanted.name())), Optional.of(caller.identity()));
    }

    private Optional<ServiceAccountUser> serviceAccountOf(SpiffeId id) {
        if (!id.memberOf(trustDomain)) {
            return Optional.empty();
        }
        String[] parts = id.path().split("/", -1);
        if (parts.length != 5 || !parts[0].isEmpty() || !"ns".equals(parts[1]) || !"sa".equals(parts[3])) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ServiceAccountUser(parts[2], parts[4]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static AuthenticationException fail(String reason) {
        return AuthenticationException.unauthenticated(NAME, reason);
    }
}
