package dev.meshid.pki.cert;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.Keys;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A signing CA: its certificate and the private key that belongs to it. Checked when constructed: the
 * certificate must be a CA ({@code basicConstraints cA=true}) whose keyUsage includes {@code keyCertSign},
 * and the key must match the certificate's public key; otherwise {@link IllegalArgumentException}
 * ({@link #of} reports the same as a {@link PkiException}).
 *
 * <p>{@link #toString()} never prints the key: it shows the subject, the NotAfter and the key type only.
 *
 * @param certificate the CA certificate
 * @param key its private key
 */
public record CaSigner(X509Certificate certificate, PrivateKey key) {

    public CaSigner {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        String problem = caProblem(certificate);
        if (problem != null) {
            throw new IllegalArgumentException("the signing certificate " + problem);
        }
        if (!Keys.matches(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the private key does not match the signing certificate "
                    + Certs.describe(certificate));
        }
    }

    /** Same as the constructor, with a checked exception for callers that read untrusted input. */
    public static CaSigner of(X509Certificate certificate, PrivateKey key) throws PkiException {
        try {
            return new CaSigner(certificate, key);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PkiException(e.getMessage());
        }
    }

    /**
     * Why a certificate cannot sign certificates, or {@code null} if it can: the text completes a sentence
     * whose subject is the certificate, e.g. {@code "is not a CA certificate (basicConstraints cA=false)"}.
     */
    public static String caProblem(X509Certificate cert) {
        if (cert.getBasicConstraints() < 0) {
            return "is not a CA certificate (basicConstraints cA=false)";
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage == null) {
            return "is a CA certificate without a keyUsage extension; a signing CA needs keyUsage keyCertSign";
        }
        if (usage.length <= 5 || !usage[5]) {
            return "is a CA certificate without keyCertSign in its keyUsage; it cannot sign certificates";
        }
        return null;
    }

    /** When the CA certificate expires; nothing it signs may outlive it. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** Shows the subject, NotAfter and key type; never the key. */
    @Override
    public String toString() {
        return "CaSigner[subject=" + certificate.getSubjectX500Principal().getName() + ", notAfter="
                + notAfter() + ", key=" + key.getAlgorithm() + " private key (not shown)]";
    }
}
