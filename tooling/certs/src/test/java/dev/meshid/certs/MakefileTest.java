package dev.meshid.certs;

import static dev.meshid.certs.CertsRun.cert;
import static dev.meshid.certs.CertsRun.certs;
import static dev.meshid.certs.CertsRun.opensslFingerprint;
import static dev.meshid.certs.CertsRun.opensslText;
import static dev.meshid.certs.CertsRun.opensslVerify;
import static dev.meshid.certs.MakeRunner.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.id.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real make running tooling/certs/Makefile, as Istio's documentation has people type it. */
class MakefileTest {
    @TempDir
    Path dir;

    @Test
    void help_isTheDefaultGoalAndListsEveryTarget() throws Exception {
        String byDefault = ok(dir);
        String help = ok(dir, "help");

        assertThat(byDefault).isEqualTo(help);
        assertThat(help).contains("root-ca:", "<name>-cacerts:", "<namespace>-certs:", "clean:", "help:", "KEY_ALG");
        assertThat(help).doesNotContain("##");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void istioSequence_withDefaults_makesRsa4096RootAndPluginCaFiles() throws Exception {
        ok(dir, "root-ca");
        ok(dir, "cluster1-cacerts");

        Path c1 = dir.resolve("cluster1");
        assertThat(c1.resolve("ca-key.pem")).exists();
        assertThat(opensslText(dir.resolve("root-cert.pem"))).contains("Public-Key: (4096 bit)",
                "Subject: O = Istio, CN = Root CA");
        String ca = opensslText(c1.resolve("ca-cert.pem"));
        assertThat(ca).contains("Public-Key: (4096 bit)", "Subject: O = Istio, CN = Intermediate CA, L = cluster1",
                "DNS:istiod.istio-system.svc", "URI:spiffe://cluster.local")
                .containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign\\n");
        X509Certificate caCert = cert(c1.resolve("ca-cert.pem"));
        assertThat(Duration.between(caCert.getNotBefore().toInstant(), caCert.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(3650), Duration.ofDays(3650).plusMinutes(5));
        assertThat(certs(c1.resolve("cert-chain.pem"))).containsExactly(caCert, cert(dir.resolve("root-cert.pem")));
        assertThat(opensslVerify(dir.resolve("root-cert.pem"), List.of(), c1.resolve("ca-cert.pem")).output())
                .contains(": OK");
        assertThat(KeyCertBundle.load(c1, Clock.systemUTC()).signer().certificate()).isEqualTo(caCert);
    }

    @Test
    void namespaceCerts_ec_makeAWorkloadForTheNamespacesDefaultServiceAccount() throws Exception {
        ok(dir, "KEY_ALG=ec", "root-ca", "cluster1-cacerts", "foo-certs");

        Path foo = dir.resolve("foo");
        for (String f : List.of("ca-key.pem", "ca-cert.pem", "key.pem", "workload-cert.pem", "workload-cert-chain.pem",
                "root-cert.pem")) {
            assertThat(foo.resolve(f)).exists();
        }
        X509Certificate leaf = cert(foo.resolve("workload-cert.pem"));
        assertThat(SvidInfo.requireSpiffeId(leaf)).isEqualTo(SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/default"));
        assertThat(certs(foo.resolve("workload-cert-chain.pem")))
                .containsExactly(leaf, cert(foo.resolve("ca-cert.pem")), cert(dir.resolve("root-cert.pem")));
        Path root = dir.resolve("root-cert.pem");
        for (String purpose : List.of("sslclient", "sslserver")) {
            assertThat(opensslVerify(root, List.of(foo.resolve("ca-cert.pem")), foo.resolve("workload-cert.pem"),
                    "-purpose", purpose).output()).contains(": OK");
        }
        assertThat(opensslVerify(root, List.of(), dir.resolve("cluster1/ca-cert.pem")).output()).contains(": OK");
        String text = opensslText(foo.resolve("workload-cert.pem"));
        assertThat(text).contains("ASN1 OID: prime256v1", "Subject: O = Istio, CN = Workload, L = foo")
                .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature");
        assertThat(opensslText(root)).contains("ASN1 OID: prime256v1");
        KeyCertBundle.load(dir.resolve("cluster1"), Clock.systemUTC());
    }

    @Test
    void namespaceCerts_serviceAccountAndTrustDomain_areHonoured() throws Exception {
        ok(dir, "KEY_ALG=ec", "SERVICE_ACCOUNT=bar", "TRUST_DOMAIN=example.org", "WORKLOAD_DAYS=3", "foo-certs");

        X509Certificate leaf = cert(dir.resolve("foo/workload-cert.pem"));
        assertThat(SvidInfo.requireSpiffeId(leaf)).isEqualTo(SpiffeId.parse("spiffe://example.org/ns/foo/sa/bar"));
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(3), Duration.ofDays(3).plusMinutes(5));
        assertThat(opensslText(dir.resolve("foo/ca-cert.pem"))).contains("URI:spiffe://example.org");
        assertThat(opensslVerify(dir.resolve("root-cert.pem"), List.of(dir.resolve("foo/ca-cert.pem")),
                dir.resolve("foo/workload-cert.pem")).output()).contains(": OK");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "KEY_ALG=rsa, ROOTCA_KEYSZ=2048, Public-Key: (2048 bit)",
        "KEY_ALG=ec,  ROOTCA_KEYSZ=384,  ASN1 OID: secp384r1",
        "KEY_ALG=ec,  ROOTCA_KEYSZ=4096, ASN1 OID: prime256v1",
    })
    void rootCa_keySizeVariable_isHonouredAndMappedForEc(String alg, String size, String expected) throws Exception {
        ok(dir, alg, size, "root-ca");

        assertThat(opensslText(dir.resolve("root-cert.pem"))).contains(expected);
        assertThat(opensslVerify(dir.resolve("root-cert.pem"), List.of(), dir.resolve("root-cert.pem")).output())
                .contains(": OK");
    }

    @Test
    void rerun_keepsTheExistingRootAndIntermediate() throws Exception {
        ok(dir, "KEY_ALG=ec", "root-ca", "cluster1-cacerts");
        Path root = dir.resolve("root-cert.pem");
        Path chain = dir.resolve("cluster1/cert-chain.pem");
        String rootFingerprint = opensslFingerprint(root);
        FileTime rootTime = Files.getLastModifiedTime(root);
        FileTime chainTime = Files.getLastModifiedTime(chain);
        String key = Files.readString(dir.resolve("root-key.pem"));

        String again = ok(dir, "KEY_ALG=ec", "root-ca", "cluster1-cacerts");

        assertThat(again).doesNotContain("wrote");
        assertThat(opensslFingerprint(root)).isEqualTo(rootFingerprint);
        assertThat(Files.getLastModifiedTime(root)).isEqualTo(rootTime);
        assertThat(Files.getLastModifiedTime(chain)).isEqualTo(chainTime);
        assertThat(Files.readString(dir.resolve("root-key.pem"))).isEqualTo(key);

        ok(dir, "KEY_ALG=ec", "cluster2-cacerts");
        assertThat(opensslFingerprint(root)).isEqualTo(rootFingerprint);
        assertThat(opensslVerify(root, List.of(), dir.resolve("cluster2/ca-cert.pem")).output()).contains(": OK");
    }

    @Test
    void clean_removesWhatTheMakefileMadeAndNothingElse() throws Exception {
        ok(dir, "KEY_ALG=ec", "root-ca", "cluster1-cacerts", "foo-certs");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("other/root-cert.pem"), "not made here");
        Files.writeString(dir.resolve("cluster1/README"), "mine too");

        ok(dir, "clean");

        assertThat(dir.resolve("root-key.pem")).doesNotExist();
        assertThat(dir.resolve("root-cert.pem")).doesNotExist();
        assertThat(dir.resolve("foo")).doesNotExist();
        assertThat(dir.resolve("cluster1/ca-key.pem")).doesNotExist();
        assertThat(dir.resolve("cluster1/cert-chain.pem")).doesNotExist();
        assertThat(dir.resolve("cluster1/README")).hasContent("mine too");
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
        assertThat(dir.resolve("other/root-cert.pem")).hasContent("not made here");
    }

    @Test
    void badKeyAlgorithm_failsTheBuildWithMeshidsMessage() throws Exception {
        MakeRunner.Result r = MakeRunner.make(dir, "KEY_ALG=dsa", "root-ca");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("--key-alg", "dsa", "rsa, ec");
        assertThat(dir.resolve("root-cert.pem")).doesNotExist();
    }
}
