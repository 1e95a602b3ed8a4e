package dev.meshid.pki.csr;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPolicyTest {

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void check_everyGeneratedKeyType_isAccepted(KeyAlgorithm alg) {
        assertThatCode(() -> KeyPolicy.check(Keys.generate(alg).getPublic())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 1024, 2047})
    void check_smallRsaKey_isTooWeak(int bits) {
        var key = rsaPublicKeyOfBits(bits);

        assertThatThrownBy(() -> KeyPolicy.check(key)).isInstanceOf(PkiException.class)
                .hasMessage("RSA key of " + bits + " bits is too weak; use at least 2048");
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 5000, 8192})
    void check_rsaKeyWithinTheRange_isAccepted(int bits) {
        var key = rsaPublicKeyOfBits(bits);

        assertThatCode(() -> KeyPolicy.check(key)).doesNotThrowAnyException();
    }

    @Test
    void check_rsaKeyAboveTheLimit_isRefused() {
        var key = rsaPublicKeyOfBits(8193);

        assertThatThrownBy(() -> KeyPolicy.check(key)).isInstanceOf(PkiException.class)
                .hasMessageContaining("8193 bits is larger than the 8192-bit limit");
    }

    @Test
    void check_otherCurveOfTheSameSize_isRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", CryptoProvider.bouncyCastle());
        g.initialize(new ECGenParameterSpec("secp256k1"));

        assertThatThrownBy(() -> KeyPolicy.check(g.generateKeyPair().getPublic())).isInstanceOf(PkiException.class)
                .hasMessageContaining("1.3.132.0.10").hasMessageContaining("use P-256 or P-384");
    }

    @Test
    void check_p256WithExplicitCurveParameters_isRefused() throws Exception {
        var named = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", CryptoProvider.bouncyCastle());
        g.initialize(new org.bouncycastle.jce.spec.ECParameterSpec(named.getCurve(), named.getG(), named.getN(),
                named.getH()));

        assertThatThrownBy(() -> KeyPolicy.check(g.generateKeyPair().getPublic())).isInstanceOf(PkiException.class)
                .hasMessageContaining("explicit curve parameters");
    }

    @Test
    void check_ed25519Key_isAnUnsupportedType() throws Exception {
        var key = KeyPairGenerator.getInstance("Ed25519", CryptoProvider.bouncyCastle()).generateKeyPair().getPublic();

        assertThatThrownBy(() -> KeyPolicy.check(key)).isInstanceOf(PkiException.class)
                .hasMessageContaining("unsupported key type").hasMessageContaining("EC P-256, EC P-384 or RSA");
    }

    @Test
    void check_nullKey_isAnUnsupportedType() {
        assertThatThrownBy(() -> KeyPolicy.check(null)).isInstanceOf(PkiException.class)
                .hasMessageContaining("unsupported key type null");
    }

    /** The size rule reads only the modulus, so the key need not come from real primes or a provider. */
    private static RSAPublicKey rsaPublicKeyOfBits(int bits) {
        BigInteger modulus = BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.ONE);
        return new RSAPublicKey() {
            private static final long serialVersionUID = 1L;

            @Override
            public BigInteger getModulus() {
                return modulus;
            }

            @Override
            public BigInteger getPublicExponent() {
                return BigInteger.valueOf(65537);
            }

            @Override
            public String getAlgorithm() {
                return "RSA";
            }

            @Override
            public String getFormat() {
                return "X.509";
            }

            @Override
            public byte[] getEncoded() {
                return new byte[0];
            }
        };
    }
}
