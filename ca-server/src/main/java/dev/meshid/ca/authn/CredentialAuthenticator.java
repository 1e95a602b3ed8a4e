package dev.meshid.ca.authn;

import java.util.Optional;

/**
 * One way of proving an identity (client certificate, JWT, TokenReview), as a link of
 * {@link AuthenticatorChain}. Unlike {@link Authenticator} it may say "not applicable" — the request does not
 * carry the kind of credential it understands — which is not a failure: the chain simply moves on.
 */
public interface CredentialAuthenticator {

    /** Short stable name used in logs, metrics and {@link Caller#authenticator()}, e.g. {@code jwt}. */
    String name();

    /**
     * @return the caller, or empty when the request carries no credential of this kind
     * @throws AuthenticationException when the credential is present but not accepted, or cannot be checked now
     */
    Optional<Caller> authenticate(AuthRequest request) throws AuthenticationException;
}
