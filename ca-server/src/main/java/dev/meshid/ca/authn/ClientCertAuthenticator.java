package dev.meshid.ca.authn;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.chain.VerifiedChain;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Authenticates a caller by its TLS client certificate (renewal with an existing SVID): the chain must verify
 * against the CURRENT trust bundle — not only the one the TLS layer was configured with — and the leaf must be
 * an X509-SVID of this CA's trust domain, whose SPIFFE ID is the identity. Without a client certificate it is
 * not applicable.
 */
public final class ClientCertAuthenticator implements CredentialAuthenticator {
    public static final String NAME = "client-cert";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final TrustDomain trustDomain;
    private final Supplier<? extends Collection<X509Certificate>> roots;
    private final Clock clock;

    /**
     * @param roots the trust bundle as it is now (read on every request, so rotation takes effect at once)
     */
    public ClientCertAuthenticator(TrustDomain trustDomain, Supplier<? extends Collection<X509Certificate>> roots,
                                   Clock clock) {
        this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
        this.roots = Objects.requireNonNull(roots, "roots");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Caller> authenticate(AuthRequest request) throws AuthenticationException {
        List<X509Certificate> chain = request.peerCertificates();
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        VerifiedChain verified;
        try {
            verified = ChainVerifier.verify(chain, roots.get(), clock.instant());
        } catch (PkiException e) {
            throw fail("client certificate chain does not verify against the trust bundle: " + e.getMessage());
        }
        X509Certificate leaf = verified.leaf();
        SpiffeId id;
        try {
            id = SvidInfo.requireSpiffeId(leaf);
        } catch (PkiException e) {
            throw fail("client certificate is not an X509-SVID: " + e.getMessage());
        }
        if (!id.memberOf(trustDomain)) {
            throw fail("client certificate SPIFFE ID " + id + " is not in this CA's trust domain " + trustDomain);
        }
        if (!id.isWorkload()) {
            throw fail("client certificate SPIFFE ID " + id + " names a trust domain, not a workload");
        }
        if (leaf.getBasicConstraints() >= 0) {
            throw fail("client certificate " + id + " is a CA certificate; only leaf SVIDs authenticate callers");
        }
        checkClientAuth(leaf, id);
        return Optional.of(new Caller(id, NAME, Optional.empty()));
    }

    private static void checkClientAuth(X509Certificate leaf, SpiffeId id) throws AuthenticationException {
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw fail("client certificate " + id + " has a malformed extendedKeyUsage: " + e.getMessage());
        }
        if (usages != null && !usages.contains(CLIENT_AUTH)) {
            throw fail("client certificate " + id + " does not allow clientAuth (extendedKeyUsage " + usages + ")");
        }
    }

    private static AuthenticationException fail(String reason) {
        return AuthenticationException.unauthenticated(NAME, reason);
    }
}
