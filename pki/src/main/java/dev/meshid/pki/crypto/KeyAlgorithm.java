package dev.meshid.pki.crypto;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key types meshid generates, with the signature algorithm each signs with. */
public enum KeyAlgorithm {
    EC_P256("EC", 256, "secp256r1", "SHA256withECDSA"),
    EC_P384("EC", 384, "secp384r1", "SHA384withECDSA"),
    RSA_2048("RSA", 2048, null, "SHA256withRSA"),
    RSA_3072("RSA", 3072, null, "SHA256withRSA"),
    RSA_4096("RSA", 4096, null, "SHA256withRSA");

    /** The default for workloads and self-signed CAs: fast and small. */
    public static final KeyAlgorithm DEFAULT = EC_P256;

    private final String family;
    private final int bits;
    private final String curve;
    private final String signatureAlgorithm;

    KeyAlgorithm(String family, int bits, String curve, String signatureAlgorithm) {
        this.family = family;
        this.bits = bits;
        this.curve = curve;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** {@code EC} or {@code RSA}. */
    public String family() {
        return family;
    }

    /** Key size in bits (the curve size for EC). */
    public int bits() {
        return bits;
    }

    /** The named curve for EC keys, {@code null} for RSA. */
    public String curve() {
        return curve;
    }

    /** The JCA signature algorithm a key of this type signs with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public boolean isEc() {
        return "EC".equals(family);
    }

    /**
     * Picks the algorithm for a family ({@code rsa} or {@code ec}, any case) and size (RSA 2048/3072/4096,
     * EC 256/384); the message of the exception lists what is valid.
     */
    public static KeyAlgorithm of(String family, int bits) {
        String f = family == null ? "" : family.trim().toUpperCase(Locale.ROOT);
        if (f.equals("ECDSA")) {
            f = "EC";
        }
        for (KeyAlgorithm a : values()) {
            if (a.family.equals(f) && a.bits == bits) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported key algorithm " + family + " " + bits
                + "; valid: " + Arrays.stream(values()).map(KeyAlgorithm::label).collect(Collectors.joining(", ")));
    }

    /** A short human label such as {@code EC P-256} or {@code RSA 4096}. */
    public String label() {
        return isEc() ? "EC P-" + bits : "RSA " + bits;
    }
}
