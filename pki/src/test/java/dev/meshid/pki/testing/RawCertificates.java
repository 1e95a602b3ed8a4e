package dev.meshid.pki.testing;

import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.Keys;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the production issuer refuses to make (a CA without keyCertSign, a leaf with two URI SANs),
 * for negative tests. The caller adds exactly the extensions it wants; nothing is added for it.
 */
public final class RawCertificates {
    /** Adds extensions to the builder. */
    @FunctionalInterface
    public interface Extensions {
        void add(X509v3CertificateBuilder b) throws Exception;
    }

    private RawCertificates() {
    }

    /**
     * A certificate for {@code subjectKeys} with the given subject, valid from an hour ago for a day,
     * signed by {@code issuer} (or self-signed when {@code issuer} is null).
     */
    public static X509Certificate make(String subjectDn, KeyPair subjectKeys, TestPki.Issued issuer,
            BigInteger serial, Extensions extensions) {
        try {
            Instant now = Instant.now();
            X500Name subject = new X500Name(subjectDn);
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
            PrivateKey signingKey = issuer == null ? subjectKeys.getPrivate() : issuer.key();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                    subjectKeys.getPublic());
            extensions.add(b);
            return new JcaX509CertificateConverter().getCertificate(b.build(
                    new JcaContentSignerBuilder(Keys.signatureAlgorithm(signingKey))
                            .setProvider(CryptoProvider.get()).build(signingKey)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the raw test certificate: " + e, e);
        }
    }
}
