package dev.meshid.certs;

import static dev.meshid.certs.CertsRun.cert;
import static dev.meshid.certs.CertsRun.certs;
import static dev.meshid.certs.CertsRun.mode;
import static dev.meshid.certs.CertsRun.ok;
import static dev.meshid.certs.CertsRun.opensslText;
import static dev.meshid.certs.CertsRun.opensslVerify;
import static dev.meshid.certs.CertsRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntermediateCommandTest {
    private final FakeClock clock = FakeClock.startingNow();

    @TempDir
    Path tmp;

    private Path rootDir;

    @BeforeEach
    void root() {
        rootDir = tmp.resolve("root");
        ok(clock, "root-ca", "--out", rootDir, "--key-alg", "ec");
    }

    @Test
    void intermediate_fromRootDir_writesIstioPluginFilesThatOpensslAndKeyCertBundleAccept() throws Exception {
        Path out = tmp.resolve("cluster1");

        CertsRun.Result r = ok(clock, "intermediate", "--root-dir", rootDir, "--out", out, "--key-alg", "ec",
                "--trust-domain", "cluster.local", "--locality", "cluster1");

        assertThat(r.out()).contains("wrote intermediate CA O=Istio,CN=Intermediate CA,L=cluster1");
        X509Certificate root = cert(rootDir.resolve("root-cert.pem"));
        X509Certificate ca = cert(out.resolve("ca-cert.pem"));
        assertThat(certs(out.resolve("cert-chain.pem"))).containsExactly(ca, root);
        assertThat(certs(out.resolve("root-cert.pem"))).containsExactly(root);
        assertThat(mode(out.resolve("ca-key.pem"))).isEqualTo("rw-------");
        assertThat(mode(out.resolve("ca-cert.pem"))).isEqualTo("rw-r--r--");
        assertThat(mode(out.resolve("cert-chain.pem"))).isEqualTo("rw-r--r--");
        assertThat(Duration.between(clock.instant(), ca.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(3650));

        assertThat(opensslVerify(rootDir.resolve("root-cert.pem"), List.of(), out.resolve("ca-cert.pem")).output())
                .contains(": OK");
        String text = opensslText(out.resolve("ca-cert.pem"));
        assertThat(text).contains("Subject: O = Istio, CN = Intermediate CA, L = cluster1");
        assertThat(text).containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE, pathlen:0");
        assertThat(text).containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign\\n");
        assertThat(text).contains("DNS:istiod.istio-system.svc", "URI:spiffe://cluster.local");

        KeyCertBundle bundle = KeyCertBundle.load(out, clock);
        assertThat(bundle.signer().certificate()).isEqualTo(ca);
        assertThat(bundle.roots().roots()).containsExactly(root);
    }

    @Test
    void intermediate_sanDnsAndPathLen_areHonoured() throws Exception {
        Path out = tmp.resolve("ca");

        ok(clock, "intermediate", "--root-dir", rootDir, "--out", out, "--key-alg", "ec", "--san-dns",
                "ca.example.org,ca2.example.org", "--path-len", "1", "--days", "10", "--cn", "Team CA");

        String text = opensslText(out.resolve("ca-cert.pem"));
        assertThat(text).contains("DNS:ca.example.org, DNS:ca2.example.org", "CN = Team CA", "pathlen:1")
                .doesNotContain("istiod", "URI:");
        assertThat(Duration.between(clock.instant(), cert(out.resolve("ca-cert.pem")).getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(10));
    }

    @Test
    void intermediate_rootDirWithoutKey_exits2NamingTheSettingAndTheMissingFile() throws Exception {
        Files.delete(rootDir.resolve("root-key.pem"));

        CertsRun.Result r = run(clock, "intermediate", "--root-dir", rootDir, "--out", tmp.resolve("c"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--root-dir", rootDir.toString(), "missing root-key.pem", "meshid certs root-ca");
        assertThat(tmp.resolve("c")).doesNotExist();
    }

    @Test
    void intermediate_invalidTrustDomain_exits2NamingIt() {
        CertsRun.Result r = run(clock, "intermediate", "--root-dir", rootDir, "--out", tmp.resolve("c"),
                "--trust-domain", "Cluster.Local");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--trust-domain", "Cluster.Local", "lowercase");
    }

    @Test
    void intermediate_invalidDnsSan_exits2NamingIt() {
        CertsRun.Result r = run(clock, "intermediate", "--root-dir", rootDir, "--out", tmp.resolve("c"),
                "--key-alg", "ec", "--san-dns", "bad_host!");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--san-dns", "bad_host!");
    }
}
