package dev.meshid.certs;

import static dev.meshid.certs.CertsRun.cert;
import static dev.meshid.certs.CertsRun.certs;
import static dev.meshid.certs.CertsRun.mode;
import static dev.meshid.certs.CertsRun.ok;
import static dev.meshid.certs.CertsRun.opensslText;
import static dev.meshid.certs.CertsRun.opensslVerify;
import static dev.meshid.certs.CertsRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadCommandTest {
    private static final String ID = "spiffe://cluster.local/ns/foo/sa/bar";

    private final FakeClock clock = FakeClock.startingNow();

    @TempDir
    Path tmp;

    private Path rootDir;
    private Path caDir;

    @BeforeEach
    void ca() {
        rootDir = tmp.resolve("root");
        caDir = tmp.resolve("cluster1");
        ok(clock, "root-ca", "--out", rootDir, "--key-alg", "ec");
        ok(clock, "intermediate", "--root-dir", rootDir, "--out", caDir, "--key-alg", "ec");
    }

    @Test
    void workload_fromIntermediate_isAnSvidOpensslAcceptsForClientAndServer() throws Exception {
        Path out = tmp.resolve("vm");

        CertsRun.Result r = ok(clock, "workload", "--ca-dir", caDir, "--out", out, "--spiffe-id", ID);

        assertThat(r.out()).contains("wrote workload certificate " + ID + " (EC P-256");
        X509Certificate leaf = cert(out.resolve("workload-cert.pem"));
        X509Certificate ca = cert(caDir.resolve("ca-cert.pem"));
        X509Certificate root = cert(rootDir.resolve("root-cert.pem"));
        assertThat(certs(out.resolve("workload-cert-chain.pem"))).containsExactly(leaf, ca, root);
        assertThat(certs(out.resolve("root-cert.pem"))).containsExactly(root);
        assertThat(SvidInfo.requireSpiffeId(leaf)).isEqualTo(SpiffeId.parse(ID));
        assertThat(Pem.readPrivateKey(Files.readString(out.resolve("key.pem")))).isInstanceOf(ECKey.class);
        assertThat(mode(out.resolve("key.pem"))).isEqualTo("rw-------");
        assertThat(mode(out.resolve("workload-cert-chain.pem"))).isEqualTo("rw-r--r--");
        assertThat(Duration.between(clock.instant(), leaf.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(1));

        Path rootFile = rootDir.resolve("root-cert.pem");
        List<Path> untrusted = List.of(caDir.resolve("ca-cert.pem"));
        Path leafFile = out.resolve("workload-cert.pem");
        assertThat(opensslVerify(rootFile, untrusted, leafFile).output()).contains(": OK");
        assertThat(opensslVerify(rootFile, untrusted, leafFile, "-purpose", "sslclient").output()).contains(": OK");
        assertThat(opensslVerify(rootFile, untrusted, leafFile, "-purpose", "sslserver").output()).contains(": OK");
        String text = opensslText(leafFile);
        assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+Digital Signature\\n");
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:FALSE");
        assertThat(text).contains("TLS Web Server Authentication, TLS Web Client Authentication", "URI:" + ID);
    }

    @Test
    void workload_rsaKeyAndSubject_asTheMakefileAsks() throws Exception {
        Path out = tmp.resolve("foo");

        ok(clock, "workload", "--ca-dir", caDir, "--out", out, "--spiffe-id", ID, "--key-alg", "rsa", "--days", "2",
                "--org", "Istio", "--cn", "Workload", "--locality", "foo");

        X509Certificate leaf = cert(out.resolve("workload-cert.pem"));
        assertThat(((RSAKey) leaf.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(Duration.between(clock.instant(), leaf.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(2));
        assertThat(opensslText(out.resolve("workload-cert.pem"))).contains("Subject: O = Istio, CN = Workload, L = foo")
                .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature");
    }

    @Test
    void workload_fromRootDir_isSignedByTheRootDirectly() throws Exception {
        Path out = tmp.resolve("direct");

        ok(clock, "workload", "--ca-dir", rootDir, "--out", out, "--spiffe-id", ID);

        X509Certificate root = cert(rootDir.resolve("root-cert.pem"));
        assertThat(certs(out.resolve("workload-cert-chain.pem"))).hasSize(2).endsWith(root);
        assertThat(opensslVerify(rootDir.resolve("root-cert.pem"), List.of(), out.resolve("workload-cert.pem"),
                "-purpose", "sslclient").output()).contains(": OK");
    }

    @ParameterizedTest(name = "--spiffe-id {0}")
    @ValueSource(strings = {"http://cluster.local/ns/foo/sa/bar", "spiffe://Cluster.local/ns/foo",
        "spiffe://cluster.local", "spiffe://cluster.local/ns//sa"})
    void workload_invalidSpiffeId_exits2NamingTheSettingAndValue(String id) {
        CertsRun.Result r = run(clock, "workload", "--ca-dir", caDir, "--out", tmp.resolve("w"), "--spiffe-id", id);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--spiffe-id", id);
        assertThat(tmp.resolve("w")).doesNotExist();
    }

    @Test
    void workload_caDirWithoutCaFiles_exits2ListingWhatIsMissing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        CertsRun.Result r = run(clock, "workload", "--ca-dir", empty, "--out", tmp.resolve("w"), "--spiffe-id", ID);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--ca-dir", "missing ca-cert.pem, ca-key.pem, root-cert.pem");
    }

    @Test
    void workload_existingKey_isRefusedWithExit1() throws Exception {
        Path out = tmp.resolve("w");
        ok(clock, "workload", "--ca-dir", caDir, "--out", out, "--spiffe-id", ID);
        String chain = Files.readString(out.resolve("workload-cert-chain.pem"));

        CertsRun.Result r = run(clock, "workload", "--ca-dir", caDir, "--out", out, "--spiffe-id", ID);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("key.pem already exists");
        assertThat(Files.readString(out.resolve("workload-cert-chain.pem"))).isEqualTo(chain);
    }
}
