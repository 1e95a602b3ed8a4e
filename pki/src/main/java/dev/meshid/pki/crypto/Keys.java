package dev.meshid.pki.crypto;

import dev.meshid.pki.PkiException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;

/** Key generation and key facts, always through the chosen {@link CryptoProvider}. */
public final class Keys {
    private Keys() {
    }

    /** A fresh key pair of the given type. */
    public static KeyPair generate(KeyAlgorithm algorithm) {
        return generate(algorithm, CryptoProvider.get());
    }

    /** A fresh key pair from an explicit provider (benchmarks compare providers). */
    public static KeyPair generate(KeyAlgorithm algorithm, Provider provider) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.family(), provider);
            if (algorithm.isEc()) {
                g.initialize(new ECGenParameterSpec(algorithm.curve()));
            } else {
                g.initialize(new RSAKeyGenParameterSpec(algorithm.bits(), RSAKeyGenParameterSpec.F4));
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm.label() + " key with "
                    + provider.getName(), e);
        }
    }

    /** What kind of key this is, or an exception naming what is not supported. */
    public static KeyAlgorithm algorithmOf(PublicKey key) throws PkiException {
        if (key instanceof RSAKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return Arrays.stream(KeyAlgorithm.values()).filter(a -> !a.isEc() && a.bits() == bits).findFirst()
                    .orElseThrow(() -> new PkiException("unsupported RSA key size " + bits
                            + " bits; use 2048, 3072 or 4096"));
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return Arrays.stream(KeyAlgorithm.values()).filter(a -> a.isEc() && a.bits() == bits).findFirst()
                    .orElseThrow(() -> new PkiException("unsupported EC curve of " + bits
                            + " bits; use P-256 or P-384"));
        }
        throw new PkiException("unsupported key type " + key.getAlgorithm() + "; use EC P-256/P-384 or RSA");
    }

    /** Size in bits of an RSA modulus or an EC field, whatever the size. */
    public static int bits(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return -1;
    }

    /** The signature algorithm to sign with the given private key. */
    public static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> ((ECKey) key).getParams().getCurve().getField().getFieldSize() > 256
                    ? "SHA384withECDSA" : "SHA256withECDSA";
            default -> "SHA256withRSA";
        };
    }

    /** Whether the private key belongs to the public key: signs a probe and verifies it. */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())
                && !(isEc(privateKey) && isEc(publicKey))) {
            return false;
        }
        try {
            byte[] probe = "meshid key match probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String alg = signatureAlgorithm(privateKey);
            Signature s = Signature.getInstance(alg, CryptoProvider.get());
            s.initSign(privateKey);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg, CryptoProvider.get());
            v.initVerify(publicKey);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isEc(java.security.Key k) {
        return k.getAlgorithm().equals("EC") || k.getAlgorithm().equals("ECDSA");
    }
}
