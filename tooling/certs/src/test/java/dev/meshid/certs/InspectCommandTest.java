package dev.meshid.certs;

import static dev.meshid.certs.CertsRun.cert;
import static dev.meshid.certs.CertsRun.ok;
import static dev.meshid.certs.CertsRun.opensslFingerprint;
import static dev.meshid.certs.CertsRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private static final String ID = "spiffe://cluster.local/ns/foo/sa/bar";

    private final FakeClock clock = FakeClock.at("2025-03-01T12:00:00Z");

    @TempDir
    Path tmp;

    @BeforeEach
    void pki() {
        ok(clock, "root-ca", "--out", tmp.resolve("root"), "--key-alg", "ec");
        ok(clock, "intermediate", "--root-dir", tmp.resolve("root"), "--out", tmp.resolve("ca"), "--key-alg", "ec",
                "--trust-domain", "cluster.local");
        ok(clock, "workload", "--ca-dir", tmp.resolve("ca"), "--out", tmp.resolve("w"), "--spiffe-id", ID);
    }

    /** One row of a certificate's description, as {@link #aligned} shows it. */
    private static String field(String label, String value) {
        return "  " + label + ": " + value;
    }

    /** The output with the padding between each row's label and value reduced to one space. */
    private static String aligned(String out) {
        return out.replaceAll("(?m)^(  [A-Za-z0-9 -]+:) +", "$1 ");
    }

    @Test
    void inspect_workloadChain_showsEachCertificateWithOpensslsFingerprint() throws Exception {
        clock.advance(Duration.ofMinutes(1));
        Path chain = tmp.resolve("w/workload-cert-chain.pem");

        CertsRun.Result r = ok(clock, "inspect", chain);

        String out = aligned(r.out());
        assertThat(out).startsWith(chain + ": 3 certificates");
        assertThat(out).contains("certificate 1 of 3", "certificate 2 of 3", "certificate 3 of 3");
        assertThat(out).contains(field("SPIFFE ID", "") + ID, "URI:" + ID + " [critical]");
        assertThat(out).contains(field("time left", "expires in 23h 59m"));
        assertThat(out).contains(field("kind", "leaf (not a CA)"), field("kind", "CA, pathLen 0 [critical]"),
                field("kind", "root CA, no pathLen limit [critical]"));
        assertThat(out).contains(field("key usage", "Digital Signature [critical]"),
                field("key usage", "Certificate Sign, CRL Sign [critical]"));
        assertThat(out).contains(field("ext key usage", "serverAuth (TLS server), clientAuth (TLS client) [not critical]"));
        assertThat(out).contains(field("signed by", "O=Istio,CN=Intermediate CA (certificate 2 in this file)"),
                field("signed by", "itself (self-signed root)"));
        assertThat(out).contains(field("key", "EC P-256"));
        assertThat(out).contains(field("SHA-256", "") + opensslFingerprint(tmp.resolve("w/workload-cert.pem")),
                field("SHA-256", "") + opensslFingerprint(tmp.resolve("ca/ca-cert.pem")),
                field("SHA-256", "") + opensslFingerprint(tmp.resolve("root/root-cert.pem")));
        String serial = cert(tmp.resolve("w/workload-cert.pem")).getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        assertThat(out).contains(serial);
    }

    @Test
    void inspect_expiredCertificate_saysHowLongAgo() {
        clock.advance(Duration.ofDays(4));

        CertsRun.Result r = ok(clock, "inspect", tmp.resolve("w/workload-cert.pem"));

        assertThat(aligned(r.out())).contains(": certificate", field("time left", "EXPIRED 3d ago"));
    }

    @Test
    void inspect_privateKey_namesItsTypeAndPrintsNothingOfIt() throws Exception {
        Path key = tmp.resolve("w/key.pem");
        List<String> keyLines = Files.readAllLines(key).stream().filter(l -> !l.startsWith("-----")).toList();

        CertsRun.Result r = ok(clock, "inspect", key);

        assertThat(r.out().strip()).isEqualTo(key + ": a private key of type EC P-256 (PRIVATE KEY);"
                + " nothing else of it is shown");
        assertThat(keyLines).isNotEmpty().allSatisfy(line -> assertThat(r.out() + r.err()).doesNotContain(line));
    }

    @Test
    void inspect_missingFile_reportsItExits1AndStillShowsTheOthers() {
        Path missing = tmp.resolve("missing.pem");

        CertsRun.Result r = run(clock, "inspect", missing, tmp.resolve("root/root-cert.pem"));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(missing + ": no such file");
        assertThat(aligned(r.out())).contains("root-cert.pem: certificate", field("subject", "O=Istio,CN=Root CA"));
    }
}
