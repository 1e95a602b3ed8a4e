package dev.meshid.pki.csr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.OpensslCli;
import dev.meshid.pki.pem.Pem;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CsrIntakeTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");

    @TempDir
    Path dir;

    private final CsrIntake intake = CsrIntake.withDefaults();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void parse_builtCsrOfEveryKeyType_returnsKeySpiffeIdAndCriticalSan(KeyAlgorithm alg) throws Exception {
        KeyPair keys = Keys.generate(alg);
        ParsedCsr csr = intake.parse(Pem.write(CsrBuilder.forKeyPair(keys, ID).build()));

        assertThat(csr.uriSans()).containsExactly(URI.create(ID.toString()));
        assertThat(csr.dnsSans()).isEmpty();
        assertThat(csr.sanCritical()).isTrue();
        assertThat(csr.subject()).isEmpty();
        assertThat(csr.keyFamily()).isEqualTo(alg.family());
        assertThat(csr.keyBits()).isEqualTo(alg.bits());
        assertThat(csr.signatureAlgorithm()).isEqualToIgnoringCase(alg.signatureAlgorithm());
        assertThat(Keys.matches(keys.getPrivate(), csr.publicKey())).isTrue();
    }

    @Test
    void parse_csrWithSubjectAndDnsSans_returnsThemInOrder() throws Exception {
        PKCS10CertificationRequest req = CsrBuilder.forKeyPair(Keys.generate(KeyAlgorithm.EC_P256), ID)
                .subject("O=cluster.local").dnsSan("web.default.svc").dnsSan("web").build();

        ParsedCsr csr = intake.parse(Pem.write(req));

        assertThat(csr.subject()).isEqualTo("O=cluster.local");
        assertThat(csr.dnsSans()).containsExactly("web.default.svc", "web");
        assertThat(csr.sanCount()).isEqualTo(3);
        assertThat(csr.der()).isEqualTo(req.getEncoded());
    }

    @Test
    void builtCsr_isAcceptedByOpensslWithCriticalSpiffeSan() throws Exception {
        OpensslCli openssl = new OpensslCli(dir);
        openssl.write("csr.pem", Pem.write(CsrBuilder.forKeyPair(Keys.generate(KeyAlgorithm.EC_P256), ID).build()));

        String text = openssl.run("req", "-in", "csr.pem", "-verify", "-noout", "-text");

        assertThat(text).contains("X509v3 Subject Alternative Name: critical").contains("URI:" + ID);
    }

    @Test
    void parse_opensslCsrWithEveryNameType_sortsSansByType() throws Exception {
        OpensslCli openssl = new OpensslCli(dir);
        String pem = openssl.runAndRead("csr.pem", "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-384", "-nodes", "-keyout", "key.pem", "-out", "csr.pem", "-subj",
                "/O=cluster.local", "-addext", "subjectAltName=critical,URI:" + ID + ",DNS:a.example,IP:10.1.2.3,"
                        + "IP:2001:db8::1,email:ops@example.org,RID:1.2.3.4,otherName:1.2.3.5;UTF8:x");

        ParsedCsr csr = intake.parse(pem);

        assertThat(csr.uriSans()).containsExactly(URI.create(ID.toString()));
        assertThat(csr.dnsSans()).containsExactly("a.example");
        assertThat(csr.ipSans()).containsExactly("10.1.2.3", "2001:db8:0:0:0:0:0:1");
        assertThat(csr.emailSans()).containsExactly("ops@example.org");
        assertThat(csr.otherSans()).containsExactly("registeredID:1.2.3.4", "otherName");
        assertThat(csr.sanCritical()).isTrue();
        assertThat(csr.subject()).isEqualTo("O=cluster.local");
        assertThat(csr.keyFamily()).isEqualTo("EC");
        assertThat(csr.keyBits()).isEqualTo(384);
    }

    @Test
    void parse_opensslCsrWithoutSans_returnsNoNamesAndNonCritical() throws Exception {
        String pem = new OpensslCli(dir).runAndRead("csr.pem", "req", "-new", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "key.pem", "-out", "csr.pem", "-subj", "/CN=legacy");

        ParsedCsr csr = intake.parse(pem);

        assertThat(csr.sanCount()).isZero();
        assertThat(csr.sanCritical()).isFalse();
        assertThat(csr.subject()).isEqualTo("CN=legacy");
        assertThat(csr.keyFamily()).isEqualTo("RSA");
    }

    @Test
    void parse_opensslRsaPssSha256Csr_isAccepted() throws Exception {
        String pem = new OpensslCli(dir).runAndRead("csr.pem", "req", "-new", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "key.pem", "-out", "csr.pem", "-subj", "/O=x", "-sha256", "-sigopt",
                "rsa_padding_mode:pss", "-addext", "subjectAltName=URI:" + ID);

        ParsedCsr csr = intake.parse(pem);

        assertThat(csr.signatureAlgorithm()).containsIgnoringCase("PSS");
        assertThat(csr.uriSans()).hasSize(1);
    }

    @Test
    void parse_opensslSha1SignedCsr_isRefusedNamingTheDigest() throws Exception {
        String pem = new OpensslCli(dir).runAndRead("csr.pem", "req", "-new", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "key.pem", "-out", "csr.pem", "-subj", "/O=x", "-sha1");

        assertThatThrownBy(() -> intake.parse(pem)).isInstanceOf(PkiException.class)
                .hasMessageContaining("SHA1withRSA").hasMessageContaining("broken").hasMessageContaining("SHA-256");
    }

    @Test
    void parse_opensslEd25519Csr_isRefusedAsUnsupportedKey() throws Exception {
        String pem = new OpensslCli(dir).runAndRead("csr.pem", "req", "-new", "-newkey", "ed25519", "-nodes",
                "-keyout", "key.pem", "-out", "csr.pem", "-subj", "/O=x");

        assertThatThrownBy(() -> intake.parse(pem)).isInstanceOf(PkiException.class)
                .hasMessageContaining("key type Ed25519 is not supported").hasMessageContaining("EC (P-256 or P-384) or RSA");
    }

    @Test
    void keyPolicy_onOpensslRsa1024Csr_saysTooWeak() throws Exception {
        String pem = new OpensslCli(dir).runAndRead("csr.pem", "req", "-new", "-newkey", "rsa:1024", "-nodes",
                "-keyout", "key.pem", "-out", "csr.pem", "-subj", "/O=x");
        ParsedCsr csr = intake.parse(pem);

        assertThat(csr.keyBits()).isEqualTo(1024);
        assertThatThrownBy(() -> KeyPolicy.check(csr.publicKey())).isInstanceOf(PkiException.class)
                .hasMessage("RSA key of 1024 bits is too weak; use at least 2048");
    }

    @Test
    void intakeOrKeyPolicy_onSecp256k1Csr_refuseTheCurve() throws Exception {
        String pem = new OpensslCli(dir).runAndRead("csr.pem", "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:secp256k1", "-nodes", "-keyout", "key.pem", "-out", "csr.pem", "-subj", "/O=x");

        // Depending on the provider the key is refused at decoding (ACCP) or by policy (BouncyCastle).
        assertThatThrownBy(() -> KeyPolicy.check(intake.parse(pem).publicKey())).isInstanceOf(PkiException.class)
                .hasMessageContaining("P-256 or P-384");
    }

    @Test
    void parse_moreSansThanTheLimit_isRefused() throws Exception {
        PKCS10CertificationRequest req = CsrBuilder.forKeyPair(Keys.generate(KeyAlgorithm.EC_P256), ID)
                .dnsSan("a").dnsSan("b").build();

        assertThat(new CsrIntake(new CsrLimits(4096, 3)).parse(Pem.write(req)).sanCount()).isEqualTo(3);
        assertThatThrownBy(() -> new CsrIntake(new CsrLimits(4096, 2)).parse(Pem.write(req)))
                .isInstanceOf(PkiException.class).hasMessageContaining("3 subject alternative names; at most 2");
    }

    @Test
    void parse_pemLargerThanTheLimit_isRefusedBeforeDecoding() throws Exception {
        String pem = Pem.write(CsrBuilder.forKeyPair(Keys.generate(KeyAlgorithm.EC_P256), ID).build());

        assertThatThrownBy(() -> new CsrIntake(new CsrLimits(pem.length() - 1, 10)).parse(pem))
                .isInstanceOf(PkiException.class).hasMessageContaining("larger than the " + (pem.length() - 1));
        assertThat(new CsrIntake(new CsrLimits(pem.length(), 10)).parse(pem).uriSans()).hasSize(1);
    }

    @Test
    void parse_handMadeCsrWithIpAndEmail_decodesThem() throws Exception {
        var req = TestCsrs.withSans(Keys.generate(KeyAlgorithm.EC_P256), "SHA256withECDSA",
                new GeneralName(GeneralName.iPAddress, "192.168.0.1"),
                new GeneralName(GeneralName.rfc822Name, "a@b.c"));

        ParsedCsr csr = intake.parse(Pem.write(req));

        assertThat(csr.ipSans()).containsExactly("192.168.0.1");
        assertThat(csr.emailSans()).containsExactly("a@b.c");
        assertThat(csr.sanCritical()).isFalse();
    }

    @Test
    void toString_namesTheRequestWithoutKeyBytes() throws Exception {
        KeyPair keys = Keys.generate(KeyAlgorithm.EC_P256);
        ParsedCsr csr = intake.parse(Pem.write(CsrBuilder.forKeyPair(keys, ID).build()));

        assertThat(csr.toString()).contains(ID.toString()).contains("EC 256")
                .doesNotContain(java.util.HexFormat.of().formatHex(keys.getPublic().getEncoded()));
    }
}
