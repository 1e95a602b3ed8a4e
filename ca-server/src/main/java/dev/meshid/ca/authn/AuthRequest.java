package dev.meshid.ca.authn;

import dev.meshid.pki.id.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the transport knows about a request that matters for authentication.
 *
 * @param bearerToken the JWT from {@code authorization: Bearer <JWT>}, see {@link #bearerFrom(String)}
 * @param peerCertificates the client certificate chain the TLS layer verified, leaf first; empty without one
 * @param clusterId the {@code clusterid} header, if sent
 * @param peerAddress the peer's address, for the log
 * @param impersonatedIdentity the {@code ImpersonatedIdentity} the request metadata asks for, if any
 */
public record AuthRequest(Optional<String> bearerToken, List<X509Certificate> peerCertificates,
                          Optional<String> clusterId, String peerAddress, Optional<SpiffeId> impersonatedIdentity) {

    private static final String BEARER = "bearer ";

    public AuthRequest {
        bearerToken = bearerToken == null ? Optional.empty() : bearerToken.filter(t -> !t.isBlank());
        peerCertificates = peerCertificates == null ? List.of() : List.copyOf(peerCertificates);
        clusterId = clusterId == null ? Optional.empty() : clusterId.filter(c -> !c.isBlank());
        peerAddress = Objects.requireNonNullElse(peerAddress, "unknown");
        impersonatedIdentity = impersonatedIdentity == null ? Optional.empty() : impersonatedIdentity;
    }

    /** A request that carries only a bearer token. */
    public static AuthRequest withToken(String token, String peerAddress) {
        return new AuthRequest(Optional.ofNullable(token), List.of(), Optional.empty(), peerAddress, Optional.empty());
    }

    /** A request that carries only a client certificate chain. */
    public static AuthRequest withCertificates(List<X509Certificate> chain, String peerAddress) {
        return new AuthRequest(Optional.empty(), chain, Optional.empty(), peerAddress, Optional.empty());
    }

    /** The same request with a {@code clusterid} header. */
    public AuthRequest withClusterId(String id) {
        return new AuthRequest(bearerToken, peerCertificates, Optional.ofNullable(id), peerAddress, impersonatedIdentity);
    }

    /** The same request asking for {@code ImpersonatedIdentity}. */
    public AuthRequest withImpersonation(SpiffeId id) {
        return new AuthRequest(bearerToken, peerCertificates, clusterId, peerAddress, Optional.ofNullable(id));
    }

    /**
     * The token of an {@code authorization} header value {@code Bearer <token>} (scheme case-insensitive);
     * empty for a missing header, another scheme or an empty token.
     */
    public static Optional<String> bearerFrom(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
                || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(BEARER.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    @Override
    public String toString() {
        // Never print the token: it is a credential.
        return "AuthRequest[token=" + (bearerToken.isPresent() ? "present" : "absent")
                + ", certificates=" + peerCertificates.size() + ", clusterId=" + clusterId.orElse("-")
                + ", peer=" + peerAddress + ", impersonate=" + impersonatedIdentity.map(SpiffeId::toString).orElse("-")
                + "]";
    }
}
