package dev.meshid.ca.authn;

import dev.meshid.pki.id.SpiffeId;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated caller.
 *
 * @param identity the SPIFFE ID a certificate may be issued for
 * @param authenticator the name of the authenticator that accepted the credential
 * @param kubernetes service account and pod details, when the credential was a Kubernetes token
 * @param impersonator when {@code identity} was granted through {@code ImpersonatedIdentity}, the identity
 *     that actually authenticated (for the audit log); empty otherwise
 */
public record Caller(SpiffeId identity, String authenticator, Optional<KubernetesIdentity> kubernetes,
                     Optional<SpiffeId> impersonator) {

    public Caller {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(authenticator, "authenticator");
        kubernetes = kubernetes == null ? Optional.empty() : kubernetes;
        impersonator = impersonator == null ? Optional.empty() : impersonator;
    }

    /** A caller that authenticated as itself. */
    public Caller(SpiffeId identity, String authenticator, Optional<KubernetesIdentity> kubernetes) {
        this(identity, authenticator, kubernetes, Optional.empty());
    }
}
