package dev.meshid.pki.csr;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashMap;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Turns untrusted PEM into a {@link ParsedCsr}: size limits, PEM and DER decoding, signature algorithm,
 * public key, proof of possession (the CSR's signature verifies with its own key) and the requested names.
 * Only structure is judged here; what may be issued is the CA's policy (see {@link KeyPolicy}).
 *
 * <p>Every failure, whatever the input, is exactly one {@link PkiException} with a message fit to return to
 * the client: BouncyCastle's runtime exceptions on malformed ASN.1 are caught and wrapped here.
 *
 * <p>Cost: the common forms (EC or RSA keys, ECDSA or PKCS#1 RSA signatures over SHA-2) are decoded and verified
 * with {@link KeyFactory} and {@link Signature} objects each thread keeps, so a request does no provider lookup.
 * Anything else, and any CSR that fails that quick check, goes the general BouncyCastle way, which also words
 * the error.
 */
public final class CsrIntake {
    private static final Map<String, String> KEY_OIDS = Map.of(
            "1.3.101.110", "X25519", "1.3.101.111", "X448", "1.3.101.112", "Ed25519", "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA", "1.2.840.113549.1.1.10", "RSASSA-PSS", "1.2.840.10046.2.1", "DH");
    private static final String EC_KEY = "1.2.840.10045.2.1";
    private static final String RSA_KEY = "1.2.840.113549.1.1.1";

    /** Signature algorithms verified with a thread's cached {@link Signature}: no parameters to carry over. */
    private static final Map<ASN1ObjectIdentifier, String> QUICK_SIGNATURES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA");
    /** Per thread, by JCA name: KeyFactory ("EC", "RSA") and Signature objects of the chosen provider. */
    private static final ThreadLocal<Map<String, Object>> JCA = ThreadLocal.withInitial(HashMap::new);

    private final CsrLimits limits;

    public CsrIntake(CsrLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /** Intake with {@link CsrLimits#DEFAULT}. */
    public static CsrIntake withDefaults() {
        return new CsrIntake(CsrLimits.DEFAULT);
    }

    /** The limits in force. */
    public CsrLimits limits() {
        return limits;
    }

    /** Decodes and verifies one PEM {@code CERTIFICATE REQUEST}; see the class comment. */
    public ParsedCsr parse(String pem) throws PkiException {
        if (pem == null || pem.isBlank()) {
            throw new PkiException("the CSR is empty; send one PEM CERTIFICATE REQUEST block");
        }
        // Characters first: refuses a huge string before encoding it; bytes second, for the exact limit.
        if (pem.length() > limits.maxPemBytes()
                || pem.getBytes(StandardCharsets.UTF_8).length > limits.maxPemBytes()) {
            throw new PkiException("the CSR is larger than the " + limits.maxPemBytes()
                    + "-byte limit; a workload CSR is about 1 KiB");
        }
        PKCS10CertificationRequest csr = Pem.readCsr(pem);
        try {
            return inspect(csr);
        } catch (RuntimeException | StackOverflowError e) {
            // Malformed ASN.1 deep inside the request (attributes, extensions, key) surfaces only now.
            throw new PkiException("the CSR is not valid PKCS#10: " + describe(e));
        }
    }

    private ParsedCsr inspect(PKCS10CertificationRequest csr) throws PkiException {
        String sigAlg = SignatureAlgorithms.checkedName(csr.getSignatureAlgorithm());
        PublicKey key = publicKey(csr);
        verify(csr, key, sigAlg);
        RequestedSans sans = RequestedSans.of(csr, limits.maxSans());
        String family = key instanceof ECPublicKey ? "EC" : "RSA";
        return new ParsedCsr(csr, key, family, Keys.bits(key), sans.uris(), sans.dns(), sans.ips(),
                sans.emails(), sans.other(), csr.getSubject().toString(), sans.critical(), sigAlg);
    }

    /** The EC or RSA key; other types are refused by OID, so the message is the same whatever the provider. */
    private static PublicKey publicKey(PKCS10CertificationRequest csr) throws PkiException {
        AlgorithmIdentifier alg = csr.getSubjectPublicKeyInfo().getAlgorithm();
        String oid = alg.getAlgorithm().getId();
        if (!oid.equals(EC_KEY) && !oid.equals(RSA_KEY)) {
            throw new PkiException("the CSR's key type " + KEY_OIDS.getOrDefault(oid, "OID " + oid)
                    + " is not supported; use an EC (P-256 or P-384) or RSA key");
        }
        PublicKey key;
        try {
            KeyFactory factory = (KeyFactory) JCA.get().computeIfAbsent(oid.equals(EC_KEY) ? "EC" : "RSA",
                    CsrIntake::keyFactory);
            key = factory == null
                    ? new JcaPKCS10CertificationRequest(csr).setProvider(CryptoProvider.get()).getPublicKey()
                    : factory.generatePublic(new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            String curve = alg.getParameters() instanceof ASN1ObjectIdentifier named ? named.getId() : "explicit";
            String what = oid.equals(EC_KEY) ? "EC public key (curve " + curve + ")" : "RSA public key";
            throw new PkiException("the CSR's " + what + " is malformed or unsupported; use an EC (P-256 or "
                    + "P-384) or RSA key");
        }
        if (!(key instanceof ECPublicKey) && !(key instanceof RSAPublicKey)) {
            throw new PkiException("the CSR's key decoded as unexpected type " + key.getAlgorithm()
                    + "; use an EC (P-256 or P-384) or RSA key");
        }
        return key;
    }

    private static Object keyFactory(String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm, CryptoProvider.get());
        } catch (GeneralSecurityException e) {
            return null; // the general way below
        }
    }

    private static Object signature(String algorithm) {
        try {
            return Signature.getInstance(algorithm, CryptoProvider.get());
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** True only for a CSR whose signature verified the quick way; false means "ask the general way". */
    private static boolean quickVerify(PKCS10CertificationRequest csr, PublicKey key) {
        String name = QUICK_SIGNATURES.get(csr.getSignatureAlgorithm().getAlgorithm());
        if (name == null || csr.getSignatureAlgorithm().getParameters() != null
                && !(csr.getSignatureAlgorithm().getParameters() instanceof org.bouncycastle.asn1.ASN1Null)) {
            return false;
        }
        Signature sig = (Signature) JCA.get().computeIfAbsent(name, CsrIntake::signature);
        if (sig == null) {
            return false;
        }
        try {
            sig.initVerify(key);
            sig.update(csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
            return sig.verify(csr.getSignature());
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    private static void verify(PKCS10CertificationRequest csr, PublicKey key, String sigAlg) throws PkiException {
        if (quickVerify(csr, key)) {
            return;
        }
        Provider chosen = CryptoProvider.get();
        boolean valid;
        try {
            valid = verifyWith(chosen, csr, key);
        } catch (OperatorCreationException | PKCSException e) {
            if (chosen.getName().equals(CryptoProvider.bouncyCastle().getName())) {
                throw cannotVerify(sigAlg, key, e);
            }
            // ACCP lacks some rarer forms (RSASSA-PSS by its OID name); a CSR is checked once, so BC may.
            try {
                valid = verifyWith(CryptoProvider.bouncyCastle(), csr, key);
            } catch (OperatorCreationException | PKCSException e2) {
                throw cannotVerify(sigAlg, key, e2);
            }
        }
        if (!valid) {
            throw new PkiException("the CSR's signature does not verify with the key it carries (proof of "
                    + "possession failed); the request was altered or signed with another key");
        }
    }

    private static boolean verifyWith(Provider p, PKCS10CertificationRequest csr, PublicKey key)
            throws OperatorCreationException, PKCSException {
        return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(p).build(key));
    }

    private static PkiException cannotVerify(String sigAlg, PublicKey key, Exception e) {
        return new PkiException("the CSR's signature (" + sigAlg + " with a " + key.getAlgorithm()
                + " key) cannot be checked: " + describe(e) + "; sign it with SHA256withECDSA or SHA256withRSA");
    }

    /** An exception's type and short message, never echoing more than a little input. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            return type;
        }
        return type + ": " + (m.length() > 160 ? m.substring(0, 160) + "..." : m);
    }

    /** Quotes client text for a message: shortened, with control and non-ASCII characters escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append(s.length() > 80 ? "...\"" : "\"").toString();
    }
}
