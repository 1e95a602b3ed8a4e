package dev.meshid.certs;

import static dev.meshid.certs.CertsRun.ok;
import static dev.meshid.certs.CertsRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    private static final String ID = "spiffe://cluster.local/ns/foo/sa/bar";

    private final FakeClock clock = FakeClock.at("2025-03-01T12:00:00Z");

    @TempDir
    Path tmp;

    private Path root;
    private Path chain;

    @BeforeEach
    void pki() {
        ok(clock, "root-ca", "--out", tmp.resolve("root"), "--key-alg", "ec");
        ok(clock, "intermediate", "--root-dir", tmp.resolve("root"), "--out", tmp.resolve("ca"), "--key-alg", "ec");
        ok(clock, "workload", "--ca-dir", tmp.resolve("ca"), "--out", tmp.resolve("w"), "--spiffe-id", ID);
        root = tmp.resolve("root/root-cert.pem");
        chain = tmp.resolve("w/workload-cert-chain.pem");
    }

    @Test
    void verify_goodChainAndExpectedId_printsOkWithIdAndExpiry() {
        CertsRun.Result r = run(clock, "verify", "--root", root, "--chain", chain, "--spiffe-id", ID);

        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out().strip()).isEqualTo("OK: " + ID + ", valid until 2025-03-02T12:00:00Z (expires in 1d)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void verify_intermediatesCertChain_printsItsSubject() {
        CertsRun.Result r = run(clock, "verify", "--root", root, "--chain", tmp.resolve("ca/cert-chain.pem"));

        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).startsWith("OK: O=Istio,CN=Intermediate CA, valid until");
    }

    @Test
    void verify_chainFromAnotherRoot_exits1WithTheReason() {
        ok(clock, "root-ca", "--out", tmp.resolve("other"), "--key-alg", "ec", "--cn", "Other Root");

        CertsRun.Result r = run(clock, "verify", "--root", tmp.resolve("other/root-cert.pem"), "--chain", chain);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("does not verify", "not one of the trusted roots", "Other Root");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void verify_wrongSpiffeId_exits1NamingBothIds() {
        String other = "spiffe://cluster.local/ns/foo/sa/baz";

        CertsRun.Result r = run(clock, "verify", "--root", root, "--chain", chain, "--spiffe-id", other);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("has SPIFFE ID " + ID, "not the expected " + other);
    }

    @Test
    void verify_afterTheLeafExpired_exits1SayingSo() {
        clock.advance(Duration.ofDays(2));

        CertsRun.Result r = run(clock, "verify", "--root", root, "--chain", chain);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("expired at 2025-03-02T12:00:00Z");
    }

    @Test
    void verify_invalidExpectedId_exits2() {
        CertsRun.Result r = run(clock, "verify", "--root", root, "--chain", chain, "--spiffe-id", "spiffe://a b");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--spiffe-id", "spiffe://a b");
    }

    @Test
    void verify_missingChainFile_exits2NamingTheSettingAndFile() {
        Path missing = tmp.resolve("nope.pem");

        CertsRun.Result r = run(clock, "verify", "--root", root, "--chain", missing);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--chain", missing.toString(), "no such file");
    }
}
