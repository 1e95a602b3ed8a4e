package dev.meshid.pki.pem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** PEM round trips, with the real openssl on the other side to prove the formats interoperate. */
class PemTest {
    @TempDir
    Path dir;

    private OpensslCli openssl() {
        return new OpensslCli(dir);
    }

    @Test
    void readCertificate_opensslCertificate_writesBackIdenticalPem() throws Exception {
        String pem = selfSigned("root");

        X509Certificate cert = Pem.readCertificate(pem);

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=root");
        assertThat(Pem.write(cert)).isEqualTo(pem);
    }

    @Test
    void readCertificates_bundleOfThree_keepsOrderAndOpensslReadsOurs() throws Exception {
        String bundle = selfSigned("one") + selfSigned("two") + selfSigned("three");

        List<X509Certificate> certs = Pem.readCertificates(bundle);
        openssl().write("ours.pem", Pem.write(certs));

        assertThat(certs).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=one", "CN=two", "CN=three");
        assertThat(Pem.readCertificates(Pem.write(certs))).isEqualTo(certs);
        assertThat(openssl().run("storeutl", "-noout", "-certs", "ours.pem")).contains("Total found: 3");
    }

    @Test
    void readFile_writtenBundle_readsBack() throws Exception {
        Path file = dir.resolve("root-cert.pem");
        Files.writeString(file, selfSigned("file"));

        assertThat(Pem.readCertificate(Pem.readFile(file)).getSubjectX500Principal().getName()).isEqualTo("CN=file");
    }

    @Test
    void readCsr_opensslCsr_roundTripsAndOpensslVerifiesOurPem() throws Exception {
        String pem = openssl().runAndRead("csr.pem", "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "csr.pem", "-subj", "/O=td");

        var csr = Pem.readCsr(pem);
        openssl().write("ours.pem", Pem.write(csr));

        assertThat(Pem.write(csr)).isEqualTo(pem);
        assertThat(csr.getSubject().toString()).isEqualTo("O=td");
        assertThat(openssl().run("req", "-in", "ours.pem", "-verify", "-noout", "-subject")).contains("O = td");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "PKCS#8 EC P-256|genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem|PRIVATE KEY",
        "PKCS#8 EC P-384|genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out key.pem|PRIVATE KEY",
        "PKCS#8 RSA|genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem|PRIVATE KEY",
        "SEC1 EC with EC PARAMETERS block|ecparam -name prime256v1 -genkey -out key.pem|EC PRIVATE KEY",
        "SEC1 EC P-384 without parameters block|ecparam -name secp384r1 -genkey -noout -out key.pem|EC PRIVATE KEY",
    })
    void readPrivateKey_keyWrittenByOpenssl_matchesOpensslsPublicKey(String form, String command, String type)
            throws Exception {
        openssl().run(command.split(" "));
        String pem = Files.readString(dir.resolve("key.pem"));

        assertKeyFromOpenssl(pem, type);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "PKCS#1 RSA|genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out gen.pem|RSA PRIVATE KEY",
        "SEC1 EC|genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out gen.pem|EC PRIVATE KEY",
    })
    void readPrivateKey_traditionalFormFromOpensslPkey_matchesOpensslsPublicKey(String form, String command,
            String type) throws Exception {
        openssl().run(command.split(" "));
        openssl().run("pkey", "-in", "gen.pem", "-traditional", "-out", "key.pem");

        assertKeyFromOpenssl(Files.readString(dir.resolve("key.pem")), type);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void writePrivateKey_bothForms_areReadByOpensslAndByPem(KeyAlgorithm alg) throws Exception {
        KeyPair keys = Keys.generate(alg);
        String ourPublic = publicPem(keys.getPublic());

        for (String pem : List.of(Pem.writePrivateKey(keys.getPrivate()),
                Pem.writeTraditionalPrivateKey(keys.getPrivate()))) {
            openssl().write("ours.pem", pem);

            assertThat(openssl().run("pkey", "-in", "ours.pem", "-pubout")).isEqualTo(ourPublic);
            assertThat(Keys.matches(Pem.readPrivateKey(pem), keys.getPublic())).isTrue();
        }
        assertThat(Pem.writeTraditionalPrivateKey(keys.getPrivate()))
                .startsWith("-----BEGIN " + (alg.isEc() ? "EC" : "RSA") + " PRIVATE KEY-----");
        assertThat(Pem.writePrivateKey(keys.getPrivate())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void readPrivateKey_otherKeysPair_doesNotMatch() throws Exception {
        KeyPair a = Keys.generate(KeyAlgorithm.EC_P256);
        KeyPair b = Keys.generate(KeyAlgorithm.EC_P256);

        assertThat(Keys.matches(Pem.readPrivateKey(Pem.writePrivateKey(a.getPrivate())), b.getPublic())).isFalse();
    }

    /** The key Pem reads signs for the public key openssl derives from the same file, and writes back. */
    private void assertKeyFromOpenssl(String pem, String type) throws Exception {
        assertThat(pem).contains("-----BEGIN " + type + "-----");
        PublicKey opensslPublic = readPublic(openssl().run("pkey", "-in", "key.pem", "-pubout"));

        PrivateKey key = Pem.readPrivateKey(pem);

        assertThat(Keys.matches(key, opensslPublic)).isTrue();
        openssl().write("again.pem", Pem.writeTraditionalPrivateKey(key));
        assertThat(openssl().run("pkey", "-in", "again.pem", "-pubout")).isEqualTo(publicPem(opensslPublic));
    }

    private String selfSigned(String cn) throws Exception {
        return openssl().runAndRead(cn + ".pem", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", cn + ".key", "-out", cn + ".pem", "-subj",
                "/CN=" + cn, "-days", "1");
    }

    private static PublicKey readPublic(String pem) throws Exception {
        byte[] der = new org.bouncycastle.util.io.pem.PemReader(new java.io.StringReader(pem)).readPemObject()
                .getContent();
        String family = pem.length() > 300 ? "RSA" : "EC";
        return KeyFactory.getInstance(family, CryptoProvider.get()).generatePublic(new X509EncodedKeySpec(der));
    }

    private static String publicPem(PublicKey key) {
        String b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void readPrivateKey_legacyEncryptedBlockWithHeaders_isRefusedAsEncrypted() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                + java.util.Base64.getEncoder().encodeToString(new byte[48]) + "\n-----END RSA PRIVATE KEY-----\n";

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pem.readPrivateKey(pem))
                .isInstanceOf(dev.meshid.pki.PkiException.class)
                .hasMessageContaining("encrypted").hasMessageContaining("openssl pkey");
    }
}
