package dev.meshid.pki.cert;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Small certificate facts used in messages and comparisons. */
public final class Certs {
    private Certs() {
    }

    /** A one-line description for error messages: subject, serial and NotAfter. */
    public static String describe(X509Certificate cert) {
        String subject = cert.getSubjectX500Principal().getName();
        return "\"" + (subject.isEmpty() ? "(empty subject)" : subject) + "\" (serial "
                + cert.getSerialNumber().toString(16) + ", NotAfter " + cert.getNotAfter().toInstant() + ")";
    }

    /** The subject DN as text, {@code (empty subject)} when empty. */
    public static String subject(X509Certificate cert) {
        String s = cert.getSubjectX500Principal().getName();
        return s.isEmpty() ? "(empty subject)" : s;
    }

    /** SHA-256 of the DER encoding, lowercase hex. */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** Whether issuer and subject are equal and the certificate verifies with its own key. */
    public static boolean isSelfSigned(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                && signedBy(cert, cert);
    }

    /** Whether {@code cert} names {@code issuer} as its issuer and verifies with its public key. */
    public static boolean issuedBy(X509Certificate cert, X509Certificate issuer) {
        return cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) && signedBy(cert, issuer);
    }

    /** Whether {@code cert}'s signature verifies with {@code issuer}'s public key (names not compared). */
    public static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey(), dev.meshid.pki.crypto.CryptoProvider.get());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
