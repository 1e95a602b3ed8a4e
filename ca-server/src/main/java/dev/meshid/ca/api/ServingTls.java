package dev.meshid.ca.api;

import dev.meshid.ca.CaException;
import dev.meshid.ca.signing.SignedChain;
import dev.meshid.ca.signing.Signer;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.crypto.TlsPolicy;
import dev.meshid.pki.id.SpiffeId;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA API's own TLS identity: a certificate issued by the CA itself (from the active signer) for a key made
 * at start, with DNS SANs such as {@code istiod.istio-system.svc} and the CA's SPIFFE ID. Client certificates
 * are requested, not required, and verified against the trust bundle when presented. TLS 1.2 at least, 1.3
 * preferred, and only the ECDHE + AEAD suites of {@link TlsPolicy}; ALPN for HTTP/2.
 */
public final class ServingTls {
    private static final char[] NO_PASSWORD = new char[0];

    /** A serving certificate and the TLS options that present it (a fresh object each time: do not share). */
    public record Issued(ServerSSLOptions options, X509Certificate certificate, Instant renewAt) {
    }

    private final Signer signer;
    private final SpiffeId id;
    private final List<String> dnsNames;
    private final Duration ttl;
    private final KeyPair key = Keys.generate(KeyAlgorithm.EC_P256);

    /**
     * @param id the CA's own SPIFFE ID, e.g. {@code spiffe://cluster.local/ns/istio-system/sa/meshid-ca}
     * @param ttl requested lifetime of each serving certificate; it is renewed at half-life
     */
    public ServingTls(Signer signer, SpiffeId id, List<String> dnsNames, Duration ttl) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.id = Objects.requireNonNull(id, "id");
        this.dnsNames = List.copyOf(dnsNames);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /** Issues a fresh serving certificate from the active signer. */
    public Issued issue() throws CaException {
        SignedChain chain = signer.signServing(SvidSpec.of(id, ttl).withDnsSans(dnsNames), key.getPublic());
        X509Certificate leaf = chain.leaf();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("serving", key.getPrivate(), NO_PASSWORD,
                    chain.leafAndIntermediates().toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, NO_PASSWORD);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> roots = chain.roots().roots();
            for (int i = 0; i < roots.size(); i++) {
                trust.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            ServerSSLOptions options = new ServerSSLOptions()
                    .setKeyCertOptions(KeyCertOptions.wrap(kmf))
                    .setTrustOptions(TrustOptions.wrap(tmf))
                    .setClientAuth(ClientAuth.REQUEST)
                    .setUseAlpn(true)
                    .setEnabledSecureTransportProtocols(Set.copyOf(TlsPolicy.PROTOCOLS));
            TlsPolicy.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
            return new Issued(options, leaf,
                    renewAt(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CaException(CaException.Kind.SIGNING_FAILED, "cannot build the CA's TLS key store: " + e, e);
        }
    }

    /** Half-way between NotBefore and NotAfter: early enough to survive a few failed renewals. */
    public static Instant renewAt(Instant notBefore, Instant notAfter) {
        return notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
    }
}
