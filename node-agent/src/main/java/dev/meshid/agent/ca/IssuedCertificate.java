package dev.meshid.agent.ca;

import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A certificate the CA issued to this agent, already checked (see {@link ResponseCheck}): the chain leaf
 * first without the roots, its private key, the roots the CA sent as the last response element, and when it
 * was received (the start of its lifetime for rotation, PROTOCOLS.md §1). Once the agent follows the CA's
 * bundle stream, {@link #roots()} are the roots it trusts now (see {@code TrustedRoots}). {@link #toString()}
 * never shows the key.
 *
 * @param chain the leaf, then intermediates
 * @param key the leaf's private key, made by this agent for this certificate only
 * @param roots the trust bundle
 * @param spiffeId the identity in the leaf
 * @param receivedAt when the CA's answer arrived
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> roots,
        SpiffeId spiffeId, Instant receivedAt) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
        roots = List.copyOf(roots);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(spiffeId, "spiffeId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (chain.isEmpty() || roots.isEmpty()) {
            throw new IllegalArgumentException("an issued certificate needs a leaf and at least one root");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Whether the leaf has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return now.isAfter(notAfter());
    }

    /**
     * The same certificate and key with another set of trusted roots: the agent serves the roots it trusts now
     * (from the CA's bundle stream) beside a certificate the CA answered with an older set.
     */
    public IssuedCertificate withRoots(List<X509Certificate> trusted) {
        return trusted.equals(roots) ? this : new IssuedCertificate(chain, key, trusted, spiffeId, receivedAt);
    }

    /** The leaf's serial number in hex. */
    public String serialHex() {
        return leaf().getSerialNumber().toString(16);
    }

    /** The chain (leaf first, no roots) as PEM: what {@code cert-chain.pem} and SDS {@code default} carry. */
    public byte[] chainPem() {
        return Pem.write(chain).getBytes(StandardCharsets.US_ASCII);
    }

    /** The roots as PEM: {@code root-cert.pem} and SDS {@code ROOTCA}. */
    public byte[] rootsPem() {
        return Pem.write(roots).getBytes(StandardCharsets.US_ASCII);
    }

    /** The private key as PEM, PKCS#8 or the traditional form (SEC1 for EC, PKCS#1 for RSA). */
    public byte[] keyPem(boolean pkcs8) {
        String pem = pkcs8 ? Pem.writePrivateKey(key) : Pem.writeTraditionalPrivateKey(key);
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    /** SHA-256 fingerprints of the roots, for debug output. */
    public List<String> rootFingerprints() {
        return roots.stream().map(Certs::fingerprint).toList();
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + spiffeId + ", serial=" + serialHex() + ", notAfter=" + notAfter()
                + ", chain=" + chain.size() + ", roots=" + roots.size() + ", key=<redacted>]";
    }
}
