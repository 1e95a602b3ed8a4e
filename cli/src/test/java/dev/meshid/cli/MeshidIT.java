package dev.meshid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.OpenSsl;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code bin/meshid}, run on the distribution {@code package} built, as a user runs it. */
class MeshidIT {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path MESHID = REPO.resolve("bin/meshid");

    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(Path cwd, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("meshid-it", ".out");
        Path err = Files.createTempFile("meshid-it", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = asUser(pb).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 180 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private Run meshid(String... args) throws IOException, InterruptedException {
        return run(tmp, meshidCommand(args));
    }

    private static List<String> meshidCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(MESHID.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Run ok(Run r) {
        assertThat(r.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        return r;
    }

    @Test
    void help_listsEveryProgramAndEveryCertsSubcommandOnOneLineEach() throws Exception {
        Run top = ok(meshid("--help"));
        Run certs = ok(meshid("certs", "--help"));

        assertThat(top.out()).containsPattern("(?m)^  certs +\\S.*$");
        for (String sub : List.of("root-ca", "intermediate", "workload", "verify", "inspect")) {
            assertThat(certs.out()).containsPattern("(?m)^  " + sub + " +\\S.*\\.$");
        }
        assertThat(ok(meshid("--version")).out()).startsWith("meshid ");
        assertThat(top.err() + certs.err()).isEmpty();
    }

    @Test
    void certs_rootIntermediateVerify_makeAChainOpensslAccepts() throws Exception {
        ok(meshid("certs", "root-ca", "--out", "root", "--key-alg", "ec"));
        ok(meshid("certs", "intermediate", "--root-dir", "root", "--out", "cluster1", "--key-alg", "ec"));

        Run verify = ok(meshid("certs", "verify", "--root", "root/root-cert.pem", "--chain", "cluster1/cert-chain.pem"));

        assertThat(verify.out()).startsWith("OK: O=Istio,CN=Intermediate CA, valid until");
        OpenSsl.Result openssl = OpenSsl.run(tmp, List.of("verify", "-x509_strict", "-CAfile", "root/root-cert.pem",
                "cluster1/ca-cert.pem"));
        assertThat(openssl.output()).contains("cluster1/ca-cert.pem: OK");
    }

    @Test
    void badValue_exits2WithOneLineNamingTheSetting() throws Exception {
        Run r = meshid("certs", "root-ca", "--out", "r", "--days", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("meshid certs root-ca: --days: invalid value \"0\"");
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void launcher_worksThroughASymlinkFromAnyDirectory() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("meshid"), MESHID);

        Run r = run(Files.createDirectories(tmp.resolve("elsewhere")), List.of(link.toString(), "--version"));

        assertThat(ok(r).out()).startsWith("meshid ");
    }

    @Test
    void istioDocumentedSequence_fromANewDirectory_usesBinMeshidByDefault() throws Exception {
        Path ca = Files.createDirectories(tmp.resolve("ca"));
        String makefile = ca.relativize(REPO.resolve("tooling/certs/Makefile")).toString();

        ok(run(ca, List.of("make", "-f", makefile, "root-ca")));
        Run cacerts = ok(run(ca, List.of("make", "-f", makefile, "cluster1-cacerts")));

        assertThat(cacerts.out()).contains("done");
        for (String f : List.of("ca-key.pem", "ca-cert.pem", "cert-chain.pem", "root-cert.pem")) {
            assertThat(ca.resolve("cluster1").resolve(f)).isNotEmptyFile();
        }
        OpenSsl.Result openssl = OpenSsl.run(ca, List.of("verify", "-x509_strict", "-CAfile", "root-cert.pem",
                "cluster1/ca-cert.pem"));
        assertThat(openssl.output()).contains("cluster1/ca-cert.pem: OK");
        assertThat(OpenSsl.run(ca, List.of("x509", "-noout", "-text", "-in", "root-cert.pem")).output())
                .contains("Public-Key: (4096 bit)");
    }

    /** The agent runs on its own jars (bin/jvm-classpath): they must hold everything it loads while serving. */
    @Test
    void agent_runsOnItsOwnJars_andServesMountedCertificates() throws Exception {
        Path log = tmp.resolve("agent.log");
        Process agent = startAgentWithMountedCertificates(log);
        try {
            assertThat(agent.isAlive()).as("agent log:%n%s", Files.readString(log)).isTrue();
            assertThat(Files.readString(log)).contains("SPIFFE Workload API on")
                    .doesNotContain("Exception", "NoClassDefFoundError");
            assertThat(tmp.resolve("sds.sock")).exists();
            assertThat(classPath(agent)).contains("meshid-node-agent-").doesNotContain("meshid-ca-server-", "lib/*");
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code meshid agent} serving a workload certificate from files, once its admin server is up. */
    private Process startAgentWithMountedCertificates(Path log) throws Exception {
        ok(meshid("certs", "root-ca", "--out", "root", "--key-alg", "ec"));
        ok(meshid("certs", "workload", "--ca-dir", "root", "--out", "w", "--spiffe-id",
                "spiffe://cluster.local/ns/default/sa/web"));
        Files.copy(tmp.resolve("w/workload-cert-chain.pem"), tmp.resolve("w/cert-chain.pem"));
        Process agent = start(log, "agent", "--file-mounted-certs=true", "--file-certs-dir", "w", "--sds-socket",
                "sds.sock", "--workload-api-socket", "spiffe.sock", "--admin-addr", "127.0.0.1:0");
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.readString(log).contains("admin HTTP on")
                || !agent.isAlive());
        return agent;
    }

    /** The proxy runs on its own jars too: it must get its certificates over SDS and become ready on them. */
    @Test
    void proxy_runsOnItsOwnJars_andBecomesReadyOnCertificatesFromSds() throws Exception {
        Process agent = startAgentWithMountedCertificates(tmp.resolve("agent.log"));
        Path log = tmp.resolve("proxy.log");
        Process proxy = null;
        try {
            // The proxy logs at warn level (bin/jvm-flags), so its admin port is chosen here rather than read back.
            int adminPort = freePort();
            Process p = start(log, "proxy", "--sds-socket", "sds.sock", "--inbound-addr", "127.0.0.1:0",
                    "--outbound-addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:" + adminPort, "--access-log", "off");
            proxy = p;
            URI ready = URI.create("http://127.0.0.1:" + adminPort + "/healthz/ready");
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(ready)
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200 || !p.isAlive());

            assertThat(p.isAlive()).as("proxy log:%n%s", Files.readString(log)).isTrue();
            assertThat(Files.readString(log)).doesNotContain("Exception", "NoClassDefFoundError");
            assertThat(classPath(p)).contains("meshid-proxy-")
                    .doesNotContain("meshid-ca-server-", "vertx-core-", "lib/*");
        } finally {
            if (proxy != null) {
                proxy.destroy();
                proxy.waitFor(10, TimeUnit.SECONDS);
            }
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(Path log, String... args) throws IOException {
        return asUser(new ProcessBuilder(meshidCommand(args)).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile())).start();
    }

    /** This JVM's Java for bin/meshid, and none of the developer's JVM options or debug switches. */
    private static ProcessBuilder asUser(ProcessBuilder pb) {
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MESHID_DEBUG");
        pb.environment().remove("JAVA_OPTS");
        return pb;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String classPath(Process p) {
        return ProcessHandle.of(p.pid()).flatMap(h -> h.info().arguments()).map(a -> String.join(" ", a)).orElse("");
    }
}
