package dev.meshid.demo.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.bundle.AppliedBundle;
import dev.meshid.ca.rotate.RotateCommand;
import dev.meshid.ca.rotation.RotationJson;
import dev.meshid.ca.rotation.RotationReport;
import dev.meshid.demo.Exec;
import dev.meshid.demo.RawHttp;
import dev.meshid.demo.Topology;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import dev.meshid.proxy.ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of issue #8: a whole root rotation (add root B, wait until every agent acked it, switch signing to
 * intermediate B, wait for the leaves to renew, remove root A) with {@code meshid ca rotate} on a watched
 * {@code cacerts} directory, while requests flow without pause app -> productpage's outbound proxy -> mTLS (a new
 * handshake per request) -> details' STRICT inbound proxy -> app, and curl and openssl keep making TLS handshakes
 * with productpage's agent-written {@code OUTPUT_CERTS} files (curl presents key.pem and cert-chain.pem and must
 * get a 200; openssl verifies the proxy's chain against root-cert.pem). Leaves live 20 s. Nothing may fail, and at the
 * end every leaf chains to root B and not to root A ({@code openssl verify}).
 */
class RootRotationUnderLoadIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void fullRootRotation_underContinuousMtlsTrafficAndCurlHandshakes_failsNothing_andEndsOnRootBOnly()
            throws Exception {
        long start = System.nanoTime();
        try (RotationMesh mesh = new RotationMesh(dir)) {
            mesh.start();
            X509Certificate rootA = Pem.readCertificate(Pem.readFile(mesh.rootA));
            X509Certificate rootB = Pem.readCertificate(Pem.readFile(mesh.rootB));
            String fpA = Certs.fingerprint(rootA);
            String fpB = Certs.fingerprint(rootB);
            await().atMost(Duration.ofSeconds(60)).until(() -> mesh.agents().stream().allMatch(a -> a.cache().ready())
                    && mesh.proxies().stream().allMatch(p -> p.tls().ready())
                    && Files.exists(mesh.outputCerts.resolve("cert-chain.pem")));
            log(start, "mesh up: CA, 2 agents, 2 proxies, details app; leaves chain to root A");

            try (LoadLoop requests = new LoadLoop("mTLS requests through both proxies", () -> request(mesh));
                    LoadLoop curls = new LoadLoop("curl mTLS handshakes with key.pem + cert-chain.pem",
                            () -> curl(mesh));
                    LoadLoop openssls = new LoadLoop("openssl handshakes verifying with root-cert.pem",
                            () -> openssl(mesh))) {
                List<LoadLoop> handshakes = List.of(curls, openssls);
                await().atMost(Duration.ofSeconds(30)).until(() -> requests.sent() >= 20 && curls.sent() >= 2
                        && openssls.sent() >= 2);

                List<Long> marks = new java.util.ArrayList<>(List.of(requests.sent()));
                rotate("add-root", "--cacerts-dir", mesh.cacerts.toString(), "--new-root", mesh.rootB.toString());
                await().atMost(Duration.ofSeconds(30)).until(() -> everyAgentAcked(mesh, fpB));
                assertThat(mesh.proxies()).allSatisfy(p -> assertThat(p.tls().current().orElseThrow().roots())
                        .contains(rootA, rootB));
                marks.add(requests.sent());
                log(start, "step 1 add-root: the CA reports both agents acked a bundle with root B; both proxies "
                        + "trust A and B");

                rotate("switch", "--cacerts-dir", mesh.cacerts.toString(), "--from", mesh.intermediateB.toString(),
                        "--ca-http", caHttp(mesh));
                await().atMost(Duration.ofSeconds(40)).until(() -> allLeavesChainTo(mesh, rootB));
                marks.add(requests.sent());
                log(start, "step 2 switch: every agent and proxy holds a leaf from intermediate B");

                await().atMost(Duration.ofSeconds(45)).until(() -> report(mesh).state().safeToRemoveAt()
                        .map(t -> !Instant.now().isBefore(t)).orElse(false));
                rotate("remove-root", "--cacerts-dir", mesh.cacerts.toString(), "--fingerprint", fpA,
                        "--ca-http", caHttp(mesh));
                await().atMost(Duration.ofSeconds(30)).until(() -> trustsOnly(mesh, rootB));
                marks.add(requests.sent());
                log(start, "step 3 remove-root: agents, proxies and root-cert.pem trust root B only");

                long requestsAtEnd = requests.sent();
                long curlsAtEnd = curls.sent();
                long openslsAtEnd = openssls.sent();
                await().atMost(Duration.ofSeconds(30)).until(() -> requests.sent() >= requestsAtEnd + 20
                        && curls.sent() >= curlsAtEnd + 2 && openssls.sent() >= openslsAtEnd + 2);
                for (LoadLoop loop : List.of(requests, curls, openssls)) {
                    loop.close();
                    System.out.println("[rotation] " + loop.summary());
                }
                System.out.println("[rotation] curl loads that read a chain and a key from two different rotations"
                        + " (retried before connecting, not handshakes): " + PAIR_RACES.get());
                assertThat(requests.failed()).as(requests.summary()).isZero();
                assertThat(handshakes).allSatisfy(h -> assertThat(h.failed()).as(h.summary()).isZero());
                System.out.println("[rotation] requests sent by the end of each step (before, 1, 2, 3): " + marks);
                assertThat(marks).as("requests flowed during every step").isSortedAccordingTo(Long::compare)
                        .doesNotHaveDuplicates();
            }
            verifyLeavesWithOpenssl(mesh);
            log(start, "openssl verify: every leaf chains to root B and not to root A");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(2));
    }

    private static void log(long start, String what) {
        System.out.printf("[rotation] +%5.1fs %s%n", (System.nanoTime() - start) / 1e9, what);
    }

    private static Optional<String> request(RotationMesh mesh) throws Exception {
        RawHttp.Response r = RawHttp.send(Topology.loopback(mesh.productpageProxy.outboundAddress().getPort()), "GET",
                "details", "/details/0", null, Duration.ofSeconds(10));
        return r.status() == 200 ? Optional.empty() : Optional.of(r.summary());
    }

    /**
     * curl presents the agent-written key and chain; details' STRICT proxy must accept them (-k: no DNS SANs).
     * curl opens cert-chain.pem and key.pem one after the other, so a rotation that renames both in between hands
     * it a new chain with the old key: curl then stops with exit 58 before it connects. No file layout can prevent
     * that for a reader that opens two paths (docs/troubleshooting.md), so such a load is counted and retried at
     * once; the handshake that follows, like every other, must succeed.
     */
    private static Optional<String> curl(RotationMesh mesh) throws Exception {
        Exec.Result r = curlOnce(mesh);
        if (r.exitCode() == CURL_KEY_MISMATCH) {
            PAIR_RACES.incrementAndGet();
            r = curlOnce(mesh);
        }
        return r.exitCode() == 0 && r.output().strip().equals("200") ? Optional.empty()
                : Optional.of("curl exit " + r.exitCode() + ": " + r.output().strip());
    }

    private static final int CURL_KEY_MISMATCH = 58;
    private static final java.util.concurrent.atomic.AtomicInteger PAIR_RACES =
            new java.util.concurrent.atomic.AtomicInteger();

    private static Exec.Result curlOnce(RotationMesh mesh) throws Exception {
        Path out = mesh.outputCerts;
        return Exec.run(List.of("curl", "-sS", "--max-time", "10", "-k", "-o", "/dev/null",
                "-w", "%{http_code}", "--cert", out.resolve("cert-chain.pem").toString(),
                "--key", out.resolve("key.pem").toString(),
                "https://127.0.0.1:" + mesh.detailsProxy.inboundAddress().getPort() + "/details/0"),
                null, Duration.ofSeconds(15));
    }

    /**
     * openssl verifies details' server chain against the agent-written root-cert.pem, which curl -k does not (mesh
     * certificates carry no DNS name to match). It presents no client certificate: acceptance of the agent-written
     * key and chain is curl's half, and the STRICT proxy's later refusal of a certificate-less client (TLS 1.3
     * sends it after the handshake) makes s_client's exit code a race, so only the verification line counts.
     */
    private static Optional<String> openssl(RotationMesh mesh) throws Exception {
        Exec.Result r = Exec.run(List.of("openssl", "s_client", "-brief", "-verify_return_error",
                "-connect", "127.0.0.1:" + mesh.detailsProxy.inboundAddress().getPort(),
                "-CAfile", mesh.outputCerts.resolve("root-cert.pem").toString()), "", Duration.ofSeconds(15));
        return r.output().contains("Verification: OK") ? Optional.empty()
                : Optional.of("openssl s_client exit " + r.exitCode() + ": " + r.output().strip());
    }

    private static void rotate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RotateCommand.commandLine(Clock.systemUTC()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        System.out.println("[rotation] meshid ca rotate " + args[0] + ": " + out.toString().strip().replace("\n",
                " | "));
        assertThat(code).as("meshid ca rotate %s: %s", args[0], err).isZero();
    }

    private static String caHttp(RotationMesh mesh) {
        return "127.0.0.1:" + mesh.ca.httpPort();
    }

    private RotationReport report(RotationMesh mesh) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + caHttp(mesh)
                + "/debug/rotation")).build(), HttpResponse.BodyHandlers.ofString());
        return RotationJson.read(r.body());
    }

    private boolean everyAgentAcked(RotationMesh mesh, String rootFingerprint) throws Exception {
        RotationReport r = report(mesh);
        return r.agentsConnected() == 2 && r.agentsAcked() == 2 && r.lacking(rootFingerprint).isEmpty();
    }

    private static boolean allLeavesChainTo(RotationMesh mesh, X509Certificate root) {
        for (NodeAgent a : mesh.agents()) {
            List<X509Certificate> chain = a.cache().held().orElseThrow().certificate().chain();
            if (!Certs.issuedBy(chain.get(chain.size() - 1), root)) {
                return false;
            }
        }
        for (ProxyServer p : mesh.proxies()) {
            X509Certificate leaf = p.tls().current().orElseThrow().leaf();
            if (mesh.agents().stream().noneMatch(a -> a.cache().held().orElseThrow().certificate().leaf()
                    .equals(leaf))) {
                return false;
            }
        }
        return true;
    }

    private static boolean trustsOnly(RotationMesh mesh, X509Certificate root) throws Exception {
        for (NodeAgent a : mesh.agents()) {
            if (!a.cache().held().orElseThrow().certificate().roots().equals(List.of(root))
                    || !a.cache().streamBundle().map(AppliedBundle::certificates).orElse(List.of())
                    .equals(List.of(root))) {
                return false;
            }
        }
        for (ProxyServer p : mesh.proxies()) {
            if (!p.tls().current().orElseThrow().roots().equals(List.of(root))) {
                return false;
            }
        }
        return Pem.readCertificates(Files.readString(mesh.outputCerts.resolve("root-cert.pem")))
                .equals(List.of(root));
    }

    private void verifyLeavesWithOpenssl(RotationMesh mesh) throws Exception {
        Path work = Files.createDirectories(dir.resolve("verify"));
        int n = 0;
        for (NodeAgent a : mesh.agents()) {
            List<X509Certificate> chain = a.cache().held().orElseThrow().certificate().chain();
            Path leaf = Files.writeString(work.resolve("leaf-" + n + ".pem"), Pem.write(chain.get(0)));
            Path ints = Files.writeString(work.resolve("ints-" + n + ".pem"), Pem.write(chain.subList(1, chain.size())));
            n++;
            Exec.Result toB = Exec.run(List.of("/usr/bin/openssl", "verify", "-CAfile", mesh.rootB.toString(),
                    "-untrusted", ints.toString(), leaf.toString()), null, Duration.ofSeconds(10));
            Exec.Result toA = Exec.run(List.of("/usr/bin/openssl", "verify", "-CAfile", mesh.rootA.toString(),
                    "-untrusted", ints.toString(), leaf.toString()), null, Duration.ofSeconds(10));
            System.out.println("[rotation] openssl verify -CAfile rootB " + a.config().spiffeId() + ": "
                    + toB.output().strip().replace("\n", " | "));
            assertThat(toB.exitCode()).as(toB.output()).isZero();
            assertThat(toB.output()).contains(": OK");
            assertThat(toA.exitCode()).as("the leaf must not chain to root A: " + toA.output()).isNotZero();
        }
        Exec.Result file = Exec.run(List.of("/usr/bin/openssl", "verify", "-CAfile",
                mesh.outputCerts.resolve("root-cert.pem").toString(), "-untrusted",
                mesh.outputCerts.resolve("cert-chain.pem").toString(),
                mesh.outputCerts.resolve("cert-chain.pem").toString()), null, Duration.ofSeconds(10));
        assertThat(file.exitCode()).as("OUTPUT_CERTS cert-chain.pem against root-cert.pem: " + file.output()).isZero();
    }
}
