package dev.meshid.pki.csr;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of broken input to CSR intake and PEM reading comes out as exactly one {@link PkiException}
 * whose message names the problem; nothing else escapes.
 */
class MalformedInputTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
    private static final CsrIntake INTAKE = CsrIntake.withDefaults();

    private static KeyPair ec;
    private static byte[] csrDer;
    private static String csrPem;
    private static String certPem;

    /** The operation under test. */
    interface Call {
        void run() throws Exception;
    }

    @BeforeAll
    static void fixtures() throws Exception {
        ec = Keys.generate(KeyAlgorithm.EC_P256);
        csrDer = CsrBuilder.forKeyPair(ec, ID).build().getEncoded();
        csrPem = pem("CERTIFICATE REQUEST", csrDer);
        X500Name name = new X500Name("CN=not a csr");
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, java.util.Date.from(Instant.now()),
                java.util.Date.from(Instant.now().plusSeconds(3600)), name, ec.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProvider.get())
                        .build(ec.getPrivate()));
        certPem = Pem.write(new JcaX509CertificateConverter().getCertificate(holder));
    }

    static Stream<Arguments> cases() throws Exception {
        return Stream.of(
                csr("null", null, "empty"),
                csr("empty string", "", "empty"),
                csr("only whitespace", " \n\t\n", "empty"),
                csr("plain text, no armour", "hello, I am a CSR", "no PEM block"),
                csr("10 MB blob", "A".repeat(10 << 20), "larger than the 65536-byte limit"),
                csr("just over 64 KiB of armour", pem("CERTIFICATE REQUEST", new byte[50_000]), "larger than"),
                csr("wrong PEM type", pem("PRIVATE KEY", new byte[] {1, 2, 3}), "PRIVATE KEY; expected CERTIFICATE REQUEST"),
                csr("a certificate instead of a CSR", certPem, "CERTIFICATE; expected CERTIFICATE REQUEST"),
                csr("two CSRs in one PEM", csrPem + csrPem, "exactly one CERTIFICATE REQUEST", "found 2"),
                csr("CSR followed by a certificate", csrPem + certPem, "exactly one", "found 2"),
                csr("empty CERTIFICATE REQUEST block", pem("CERTIFICATE REQUEST", new byte[0]), "not valid PKCS#10"),
                csr("DER 30 00", pem("CERTIFICATE REQUEST", new byte[] {0x30, 0x00}), "not valid PKCS#10"),
                csr("DER cut in half", pem("CERTIFICATE REQUEST", Arrays.copyOf(csrDer, csrDer.length / 2)), "not valid PKCS#10"),
                csr("DER missing its last byte", pem("CERTIFICATE REQUEST", Arrays.copyOf(csrDer, csrDer.length - 1)), "not valid PKCS#10"),
                csr("trailing bytes after the DER", pem("CERTIFICATE REQUEST", concat(csrDer, new byte[] {0, 0, 5})), "not valid PKCS#10"),
                csr("random bytes", pem("CERTIFICATE REQUEST", random(700)), "not valid PKCS#10"),
                csr("random bytes behind a SEQUENCE header", pem("CERTIFICATE REQUEST", concat(new byte[] {0x30, (byte) 0x82, 0x02, (byte) 0xbc}, random(700))), "not valid PKCS#10"),
                csr("base64 garbage inside valid armour", "-----BEGIN CERTIFICATE REQUEST-----\n!!!!****####\n-----END CERTIFICATE REQUEST-----\n", "malformed PEM"),
                csr("BEGIN without END", "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n", "malformed PEM"),
                csr("END label differs from BEGIN", "-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE-----\n", "malformed PEM"),
                csr("deeply nested indefinite-length SEQUENCEs", pem("CERTIFICATE REQUEST", nested(10_000)), "not valid PKCS#10"),
                csr("signature bytes tampered", pem("CERTIFICATE REQUEST", flipLastByte(csrDer)), "proof of possession"),
                csr("SPIFFE ID changed after signing", pem("CERTIFICATE REQUEST", changeSpiffeId(csrDer)), "does not verify", "altered"),
                csr("signed by another key", pem("CERTIFICATE REQUEST", signedByOtherKey()), "proof of possession"),
                csr("signed with SHA1withECDSA", Pem.write(TestCsrs.withSans(ec, "SHA1withECDSA", uri())), "SHA1withECDSA", "broken"),
                csr("signed with MD5withRSA", Pem.write(TestCsrs.withAttributes(rsa(), "MD5withRSA", CryptoProvider.bouncyCastle())), "MD5withRSA", "broken"),
                csr("DSA key", Pem.write(TestCsrs.withAttributes(dsa(), "SHA256withDSA", CryptoProvider.bouncyCastle())), "key type DSA is not supported"),
                csr("Ed25519 key", Pem.write(TestCsrs.withAttributes(ed25519(), "Ed25519", CryptoProvider.bouncyCastle())), "key type Ed25519 is not supported", "use an EC"),
                csr("101 SANs", Pem.write(TestCsrs.withSans(ec, "SHA256withECDSA", manyDns(101))), "101 subject alternative names; at most 100"),
                csr("IP SAN of 5 bytes", Pem.write(TestCsrs.withSans(ec, "SHA256withECDSA", new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[5])))), "5 bytes; expected 4"),
                csr("URI SAN that is no URI", Pem.write(TestCsrs.withSans(ec, "SHA256withECDSA", new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://td/a b"))), "not a valid URI"),
                csr("two extensionRequest attributes", Pem.write(TestCsrs.withAttributes(ec, "SHA256withECDSA", CryptoProvider.get(), TestCsrs.extensions(TestCsrs.sanExtension(true, uri())), TestCsrs.extensions(TestCsrs.sanExtension(true, uri())))), "more than one extensionRequest"),
                csr("extensionRequest holding an INTEGER", Pem.write(TestCsrs.withAttributes(ec, "SHA256withECDSA", CryptoProvider.get(), new ASN1Integer(7))), "not valid PKCS#10"),
                csr("SAN extension repeated", Pem.write(TestCsrs.withAttributes(ec, "SHA256withECDSA", CryptoProvider.get(), TestCsrs.extensions(TestCsrs.sanExtension(true, uri()), TestCsrs.sanExtension(true, uri())))), "not valid PKCS#10", "repeated"),
                pem("certificate reader given a CSR", () -> Pem.readCertificate(csrPem), "CERTIFICATE REQUEST; expected CERTIFICATE"),
                pem("certificate reader given garbage DER", () -> Pem.readCertificate(pem("CERTIFICATE", random(300))), "not a valid X.509 certificate"),
                pem("certificate reader given deeply nested BER", () -> Pem.readCertificate(pem("CERTIFICATE", nested(20_000))), "not a valid X.509 certificate", "nested too deeply"),
                pem("key reader given deeply nested BER", () -> Pem.readPrivateKey(pem("PRIVATE KEY", nested(20_000))), "PRIVATE KEY block is not a valid key"),
                pem("certificate reader given two certificates", () -> Pem.readCertificate(certPem + certPem), "exactly one certificate, found 2"),
                pem("key reader given an encrypted key", () -> Pem.readPrivateKey(pem("ENCRYPTED PRIVATE KEY", random(64))), "encrypted", "openssl pkey"),
                pem("key reader given garbage PKCS#8", () -> Pem.readPrivateKey(pem("PRIVATE KEY", random(64))), "PRIVATE KEY block is not a valid key"),
                pem("key reader given garbage SEC1", () -> Pem.readPrivateKey(pem("EC PRIVATE KEY", new byte[] {0x30, 0x00})), "EC PRIVATE KEY"),
                pem("key reader given a certificate", () -> Pem.readPrivateKey(certPem), "expected PRIVATE KEY"),
                pem("key reader given two key blocks", () -> Pem.readPrivateKey(pem("PRIVATE KEY", random(8)) + pem("PRIVATE KEY", random(8))), "exactly one private key block, found 2"),
                pem("file reader given a missing file", () -> Pem.readFile(Path.of("/nonexistent/meshid/ca-cert.pem")), "no such file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void read_malformedInput_throwsOnePkiExceptionNamingTheProblem(String name, Call call, List<String> words) {
        assertThatThrownBy(call::run).isExactlyInstanceOf(PkiException.class)
                .satisfies(e -> words.forEach(w -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains(w)));
    }

    private static Arguments csr(String name, String input, String... words) {
        return pem(name, () -> INTAKE.parse(input), words);
    }

    private static Arguments pem(String name, Call call, String... words) {
        return Arguments.of(name, call, List.of(words));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static GeneralName uri() {
        return new GeneralName(GeneralName.uniformResourceIdentifier, ID.toString());
    }

    private static GeneralName[] manyDns(int n) {
        GeneralName[] names = new GeneralName[n];
        for (int i = 0; i < n; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, "host" + i + ".example");
        }
        return names;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b); // fixed seed: the same garbage every run
        return b;
    }

    private static byte[] nested(int depth) {
        byte[] b = new byte[depth * 4];
        for (int i = 0; i < depth; i++) {
            b[2 * i] = 0x30;
            b[2 * i + 1] = (byte) 0x80;
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] flipLastByte(byte[] der) {
        byte[] out = der.clone();
        out[out.length - 1] ^= 0x01;
        return out;
    }

    private static byte[] changeSpiffeId(byte[] der) {
        String s = new String(der, StandardCharsets.ISO_8859_1).replace("/sa/web", "/sa/wxb");
        if (s.equals(new String(der, StandardCharsets.ISO_8859_1))) {
            throw new IllegalStateException("the SPIFFE ID was not found in the DER");
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] signedByOtherKey() throws Exception {
        KeyPair other = Keys.generate(KeyAlgorithm.EC_P256);
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProvider.get())
                .build(other.getPrivate());
        return new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(new X500Name("O=x"),
                ec.getPublic()).build(signer).getEncoded();
    }

    private static KeyPair rsa() {
        return Keys.generate(KeyAlgorithm.RSA_2048);
    }

    private static KeyPair dsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("DSA", CryptoProvider.bouncyCastle());
        g.initialize(1024);
        return g.generateKeyPair();
    }

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519", CryptoProvider.bouncyCastle()).generateKeyPair();
    }
}
