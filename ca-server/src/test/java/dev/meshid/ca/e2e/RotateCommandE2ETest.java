package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.ca.rotate.RotateCommand;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole plug-in rotation against a running CA over real TLS gRPC: {@code meshid ca rotate} writes the
 * watched cacerts directory, an agent's bundle stream sees each bundle, the switch waits for its ack, and leaves
 * issued afterwards verify (openssl) against the new root alone.
 */
class RotateCommandE2ETest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run rotate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RotateCommand.commandLine(Clock.systemUTC());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void threeSteps_onTheCacertsDirectory_rotateTheRunningCaAndEachRefusalSaysWhy() throws Exception {
        try (CaFixture ca = new CaFixture(dir, Map.of());
             BundleStream agent = new BundleStream(ca.channel, CaFixture.bearer(ca.tokens.token("istio-system", "agent")))) {
            String cacerts = dir.resolve("cacerts").toString();
            String http = "127.0.0.1:" + ca.server.httpPort();
            agent.ack(agent.next().getVersion());
            TestPki.Issued newRoot = TestPki.root("New Root CA").validFor(Duration.ofDays(730)).build();
            TestPki.Issued newSigning = newRoot.intermediate("New Signing CA").validFor(Duration.ofDays(180)).build();
            Path newDir = dir.resolve("new");
            new KeyCertBundle(newSigning.signer(), List.of(), new dev.meshid.pki.bundle.TrustBundle(List.of(newRoot.cert())))
                    .writePluginFiles(newDir);
            Path newRootFile = Files.writeString(dir.resolve("new-root.pem"), Pem.write(newRoot.cert()));

            Run early = rotate("switch", "--cacerts-dir", cacerts, "--from", newDir.toString(), "--ca-http", http);
            assertThat(early.code()).isEqualTo(1);
            assertThat(early.err()).contains("refused: the new signing CA does not chain to a root already in the trust bundle");

            Run add = rotate("add-root", "--cacerts-dir", cacerts, "--new-root", newRootFile.toString());
            assertThat(add.code()).as(add.err()).isZero();
            TrustBundle both = agent.next();
            assertThat(BundleStreamE2ETest.roots(both)).containsExactlyInAnyOrder(ca.root.cert(), newRoot.cert());
            assertThat(Files.isSymbolicLink(dir.resolve("cacerts/..data"))).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cacerts/ca-key.pem"))))
                    .isEqualTo("rw-------");

            Run notAcked = rotate("switch", "--cacerts-dir", cacerts, "--from", newDir.toString(), "--ca-http", http);
            assertThat(notAcked.code()).isEqualTo(1);
            assertThat(notAcked.err()).contains("1 of 1 connected agent(s) have not acknowledged")
                    .contains(CaFixture.id("istio-system", "agent").toString());

            agent.ack(both.getVersion());
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.server.bundleWatchers().ackedCurrent() == 1);
            Run sw = rotate("switch", "--cacerts-dir", cacerts, "--from", newDir.toString(), "--ca-http", http);
            assertThat(sw.code()).as(sw.err()).isZero();

            await().atMost(Duration.ofSeconds(20)).until(() -> ca.server.signer().active().orElseThrow().bundle()
                    .signer().certificate().equals(newSigning.cert()));
            List<String> chain = ca.issue("default", "web").getCertChainList();
            X509Certificate leaf = Pem.readCertificate(chain.get(0));
            OpenSsl.Result verify = OpenSsl.verify(newRoot.cert(), List.of(newSigning.cert()), leaf);
            assertThat(verify.ok()).as(verify.output()).isTrue();
            assertThat(OpenSsl.verify(ca.root.cert(), List.of(newSigning.cert()), leaf).ok()).isFalse();
            assertThat(Pem.readCertificates(chain.get(chain.size() - 1))).containsExactlyInAnyOrder(ca.root.cert(),
                    newRoot.cert());

            Run status = rotate("status", "--ca-http", http);
            assertThat(status.code()).isZero();
            assertThat(status.out()).contains("step: signer-switched").contains("agents: 1 connected, 1 acked")
                    .contains(Certs.fingerprint(newRoot.cert()) + " (signing)");

            Run remove = rotate("remove-root", "--cacerts-dir", cacerts, "--fingerprint",
                    Certs.fingerprint(ca.root.cert()), "--ca-http", http);
            assertThat(remove.code()).isEqualTo(1);
            assertThat(remove.err()).contains("may be valid until").contains("retry after");
            Run removeNew = rotate("remove-root", "--cacerts-dir", cacerts, "--fingerprint",
                    Certs.fingerprint(newRoot.cert()), "--ca-http", http);
            assertThat(removeNew.err()).contains("still chains to");
        }
    }
}
