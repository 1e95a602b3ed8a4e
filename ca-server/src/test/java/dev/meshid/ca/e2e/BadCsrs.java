package dev.meshid.ca.e2e;

import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Malformed and policy-breaking CSRs, made at test time with BouncyCastle directly. */
final class BadCsrs {
    private BadCsrs() {
    }

    /** A CSR for {@code publicKey} signed with {@code signingKey} (the same key's private half, normally). */
    static String csr(PublicKey publicKey, PrivateKey signingKey, String subject, List<GeneralName> sans) {
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name(subject), publicKey);
            if (!sans.isEmpty()) {
                Extension san = new Extension(Extension.subjectAlternativeName, true,
                        new GeneralNames(sans.toArray(GeneralName[]::new)).getEncoded());
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(san));
            }
            String alg = signingKey.getAlgorithm().startsWith("RSA") ? "SHA256withRSA"
                    : signingKey.getAlgorithm().startsWith("Ed") ? "Ed25519" : "SHA256withECDSA";
            return pem(b.build(new JcaContentSignerBuilder(alg).setProvider(CryptoProvider.bouncyCastle())
                    .build(signingKey)).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test CSR", e);
        }
    }

    static String withSans(KeyPair kp, GeneralName... sans) {
        return csr(kp.getPublic(), kp.getPrivate(), "", List.of(sans));
    }

    static GeneralName uri(String s) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, s);
    }

    static KeyPair ec() {
        return Keys.generate(KeyAlgorithm.EC_P256);
    }

    static KeyPair generate(String alg, Object param) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg, CryptoProvider.bouncyCastle());
            if (param instanceof Integer bits) {
                g.initialize(bits);
            } else if (param instanceof String curve) {
                g.initialize(new ECGenParameterSpec(curve));
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** The DER of a PEM CSR with one byte flipped at {@code fromEnd} bytes before its end. */
    static String tampered(String pem, int fromEnd) {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        der[der.length - fromEnd] ^= 0x01;
        return pem(der);
    }
}
