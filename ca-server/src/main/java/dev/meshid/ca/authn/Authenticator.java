package dev.meshid.ca.authn;

/**
 * Decides who is calling the CA. Declared for the gRPC service, which needs nothing more; the usual
 * implementation is {@link AuthenticatorChain}.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Authenticates one request.
     *
     * @return the caller, with the identity a certificate may be issued for (after impersonation, if any)
     * @throws AuthenticationException with a reason for the log and a {@link AuthenticationException.Kind}
     *     that tells the transport whether the client should retry
     */
    Caller authenticate(AuthRequest request) throws AuthenticationException;
}
