package dev.meshid.pki.csr;

import dev.meshid.pki.PkiException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;

/**
 * The keys meshid certifies: EC on the named curves P-256 and P-384, and RSA of 2048 to 8192 bits. A pure
 * function for the CA's issuance policy to call; intake itself does not judge key strength.
 */
public final class KeyPolicy {
    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 8192;

    private static final Map<String, String> CURVES = Map.of(
            "1.2.840.10045.3.1.7", "P-256",
            "1.3.132.0.34", "P-384");

    private KeyPolicy() {
    }

    /** Returns normally for an acceptable key; otherwise the message says what is wrong and what to use. */
    public static void check(PublicKey key) throws PkiException {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new PkiException("RSA key of " + bits + " bits is too weak; use at least " + MIN_RSA_BITS);
            }
            if (bits > MAX_RSA_BITS) {
                throw new PkiException("RSA key of " + bits + " bits is larger than the " + MAX_RSA_BITS
                        + "-bit limit; use 2048, 3072 or 4096");
            }
            return;
        }
        if (key instanceof ECPublicKey) {
            curveName(key);
            return;
        }
        throw new PkiException("unsupported key type " + (key == null ? "null" : key.getAlgorithm())
                + "; use EC P-256, EC P-384 or RSA 2048-8192");
    }

    /** {@code P-256} or {@code P-384}, read from the key's encoding so explicit curve parameters are refused. */
    static String curveName(PublicKey key) throws PkiException {
        X962Parameters params;
        try {
            params = X962Parameters.getInstance(
                    SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters());
        } catch (RuntimeException e) {
            throw new PkiException("the EC key's curve cannot be read; use a named curve, P-256 or P-384");
        }
        if (!params.isNamedCurve()) {
            throw new PkiException("the EC key uses explicit curve parameters; use a named curve, P-256 or P-384");
        }
        String oid = ASN1ObjectIdentifier.getInstance(params.getParameters()).getId();
        String name = CURVES.get(oid);
        if (name == null) {
            throw new PkiException("EC curve " + oid + " is not supported; use P-256 or P-384");
        }
        return name;
    }
}
