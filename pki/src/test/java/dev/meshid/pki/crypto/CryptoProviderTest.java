package dev.meshid.pki.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CryptoProviderTest {
    private static final byte[] MESSAGE = "meshid provider test".getBytes(StandardCharsets.US_ASCII);

    private static Optional<Provider> accp() {
        return CryptoProvider.accp(new StringBuilder());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bc", "BC", " bouncycastle "})
    void choose_forcedBouncyCastle_isBouncyCastleSayingWhy(String setting) {
        CryptoProvider.Choice c = CryptoProvider.choose(setting);

        assertThat(c.name()).isEqualTo(BouncyCastleProvider.PROVIDER_NAME);
        assertThat(c.reason()).contains("forced by " + CryptoProvider.SETTING_PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "AUTO", "  ", ""})
    void choose_auto_prefersAccpWhereItLoads(String setting) {
        CryptoProvider.Choice c = CryptoProvider.choose(setting);

        String expected = accp().map(Provider::getName).orElse(BouncyCastleProvider.PROVIDER_NAME);
        assertThat(c.name()).isEqualTo(expected);
        assertThat(c.reason()).isNotBlank();
    }

    @Test
    void choose_null_isAuto() {
        assertThat(CryptoProvider.choose(null).name()).isEqualTo(CryptoProvider.choose("auto").name());
    }

    @Test
    void choose_forcedAccp_isAccpOrAClearStartupError() {
        Optional<Provider> accp = accp();
        if (accp.isPresent()) {
            assertThat(CryptoProvider.choose("accp").provider()).isSameAs(accp.get());
        } else {
            assertThatThrownBy(() -> CryptoProvider.choose("accp")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unset it to fall back to BouncyCastle");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sunec", "openssl", "bc,accp"})
    void choose_invalidValue_namesTheSettingAndTheValidValues(String setting) {
        assertThatThrownBy(() -> CryptoProvider.choose(setting)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid " + CryptoProvider.SETTING_PROPERTY + " / " + CryptoProvider.SETTING_ENV)
                .hasMessageContaining("\"" + setting + "\"")
                .hasMessageContaining("valid: auto, accp, bc");
    }

    @Test
    void get_isNeverTheJdksOwnProvider() {
        assertThat(CryptoProvider.get().getName()).isNotIn("SunEC", "SunRsaSign", "SUN");
        assertThat(CryptoProvider.choice().provider()).isSameAs(CryptoProvider.get());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void generate_everyAlgorithm_signsAndVerifiesWithTheChosenProvider(KeyAlgorithm alg) throws Exception {
        KeyPair keys = Keys.generate(alg);
        byte[] sig = sign(keys, alg.signatureAlgorithm(), CryptoProvider.get());

        assertThat(verify(keys, alg.signatureAlgorithm(), CryptoProvider.get(), MESSAGE, sig)).isTrue();
        assertThat(verify(keys, alg.signatureAlgorithm(), CryptoProvider.get(), "other".getBytes(), sig)).isFalse();
        assertThat(Keys.algorithmOf(keys.getPublic())).isEqualTo(alg);
        assertThat(Keys.bits(keys.getPublic())).isEqualTo(alg.bits());
        assertThat(Keys.signatureAlgorithm(keys.getPrivate())).isEqualTo(alg.signatureAlgorithm());
        assertThat(keys.getPublic().getAlgorithm()).isIn(alg.family(), "ECDSA");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
    void signature_fromChosenProvider_verifiesWithBouncyCastle(KeyAlgorithm alg) throws Exception {
        KeyPair keys = Keys.generate(alg);
        byte[] sig = sign(keys, alg.signatureAlgorithm(), CryptoProvider.get());

        assertThat(verify(keys, alg.signatureAlgorithm(), CryptoProvider.bouncyCastle(), MESSAGE, sig)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void matches_ownPairTrue_otherPairFalse(KeyAlgorithm alg) {
        KeyPair a = Keys.generate(alg);
        KeyPair b = Keys.generate(alg.isEc() ? alg : KeyAlgorithm.RSA_2048);

        assertThat(Keys.matches(a.getPrivate(), a.getPublic())).isTrue();
        assertThat(Keys.matches(a.getPrivate(), b.getPublic())).isFalse();
    }

    @Test
    void matches_ecPrivateWithRsaPublic_isFalse() {
        assertThat(Keys.matches(Keys.generate(KeyAlgorithm.EC_P256).getPrivate(),
                Keys.generate(KeyAlgorithm.RSA_2048).getPublic())).isFalse();
    }

    @Test
    void matches_bouncyCastleKeyAgainstChosenProviderKey_isTrueForTheSamePair() {
        KeyPair bc = Keys.generate(KeyAlgorithm.EC_P256, CryptoProvider.bouncyCastle());

        assertThat(Keys.matches(bc.getPrivate(), bc.getPublic())).isTrue();
    }

    @Test
    void algorithmOf_unsupportedSizes_sayWhatToUse() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA", CryptoProvider.bouncyCastle());
        rsa.initialize(1024);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", CryptoProvider.bouncyCastle());
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));

        assertThatThrownBy(() -> Keys.algorithmOf(rsa.generateKeyPair().getPublic())).isInstanceOf(PkiException.class)
                .hasMessage("unsupported RSA key size 1024 bits; use 2048, 3072 or 4096");
        assertThatThrownBy(() -> Keys.algorithmOf(ec.generateKeyPair().getPublic())).isInstanceOf(PkiException.class)
                .hasMessage("unsupported EC curve of 521 bits; use P-256 or P-384");
    }

    @Test
    void keyAlgorithmOf_acceptsFamilyAliasesAndListsValidChoices() {
        assertThat(KeyAlgorithm.of("ecdsa", 256)).isEqualTo(KeyAlgorithm.EC_P256);
        assertThat(KeyAlgorithm.of(" rsa ", 3072)).isEqualTo(KeyAlgorithm.RSA_3072);
        assertThat(KeyAlgorithm.DEFAULT.label()).isEqualTo("EC P-256");
        assertThatThrownBy(() -> KeyAlgorithm.of("rsa", 1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported key algorithm rsa 1024")
                .hasMessageContaining("EC P-256, EC P-384, RSA 2048, RSA 3072, RSA 4096");
    }

    private static byte[] sign(KeyPair keys, String alg, Provider p) throws Exception {
        Signature s = Signature.getInstance(alg, p);
        s.initSign(keys.getPrivate());
        s.update(MESSAGE);
        return s.sign();
    }

    private static boolean verify(KeyPair keys, String alg, Provider p, byte[] message, byte[] sig) throws Exception {
        Signature v = Signature.getInstance(alg, p);
        v.initVerify(keys.getPublic());
        v.update(message);
        return v.verify(sig);
    }
}
