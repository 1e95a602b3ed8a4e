package dev.meshid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.testing.FakeCa;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wired agent with an in-process CA: its real SDS Unix socket, its real admin port, and the settings that
 * change what it serves ({@code OUTPUT_CERTS}, {@code FILE_MOUNTED_CERTS}, {@code file-cert:}/{@code file-root:}).
 */
class NodeAgentTest {
    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.startingNow();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ScheduledExecutorService clientExec = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private NodeAgent agent;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        clientExec.shutdownNow();
    }

    private NodeAgent start(Map<AgentSetting, String> extra) throws Exception {
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        flags.put(AgentSetting.ADMIN_ADDR, "127.0.0.1:0");
        flags.put(AgentSetting.POD_NAMESPACE, "shop");
        flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
        flags.putAll(extra);
        agent = NodeAgent.builder(ConfigLoader.load(flags, Map.of())).clock(clock).scheduler(scheduler)
                .random(new SplittableRandom(7)).caClient(new FakeCa(clock)).filePollInterval(Duration.ofDays(1))
                .start();
        closing.add(agent);
        return agent;
    }

    private SdsClient client(String... names) {
        SdsClient c = new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(agent.config().sdsSocket())))
                .names(List.of(names)).scheduler(Scheduler.of(clientExec)).random(new SplittableRandom(3)).start();
        closing.add(c);
        return c;
    }

    private HttpResponse<String> http(String method, String path) throws Exception {
        int port = agent.adminAddress().orElseThrow().getPort();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate leaf(SdsClient c) {
        return ((TlsCertificate) c.secret("default").orElseThrow()).chain().get(0);
    }

    @Test
    void adminEndpoints_areNotServedOnTheSdsSocket_onlyOnTheAdminPort() throws Exception {
        start(Map.of());
        scheduler.runDue();
        for (String path : List.of("/metrics", "/healthz/ready", "/debug/certs")) {
            String answer = overSdsSocket("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(answer).as(path + " on the SDS socket").doesNotContain("HTTP/1.1 200").doesNotContain("# TYPE")
                    .doesNotContain("serial");
        }
        HttpResponse<String> metrics = http("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE");
    }

    /** Sends raw bytes to the SDS socket and returns what comes back until the server closes it (10 s at most). */
    private String overSdsSocket(String request) throws Exception {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(agent.config().sdsSocket()))) {
            ch.write(java.nio.ByteBuffer.wrap(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            java.util.concurrent.Future<String> read = clientExec.submit(() -> {
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096);
                while (ch.read(buf) >= 0) {
                    got.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            });
            return read.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void debugRotate_overHttp_rotatesAndPushesTheNewCertificate() throws Exception {
        start(Map.of());
        scheduler.runDue();
        IssuedCertificate first = agent.cache().held().orElseThrow().certificate();
        SdsClient c = client("default", "ROOTCA");
        await().atMost(20, TimeUnit.SECONDS).until(() -> c.secret("default").isPresent() && c.acksSent() >= 1);

        HttpResponse<String> r = http("POST", "/debug/rotate");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"previousSerial\":\"" + first.serialHex() + "\"");
        assertThat(scheduler.runDue()).isEqualTo(1);
        IssuedCertificate second = agent.cache().held().orElseThrow().certificate();
        assertThat(second.serialHex()).isNotEqualTo(first.serialHex());
        await().atMost(20, TimeUnit.SECONDS).until(() -> leaf(c).equals(second.leaf()));

        assertThat(http("GET", "/debug/rotate").statusCode()).isEqualTo(405);
        assertThat(scheduler.runDue()).isZero();
        assertThat(agent.cache().held().orElseThrow().certificate()).isEqualTo(second);
    }

    @Test
    void outputCerts_underARegularFile_failsWhileSdsKeepsServingAndHealthAndMetricsSaySo() throws Exception {
        // A path component that is a regular file: ENOTDIR even for root, so this asserts on CI too.
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        start(Map.of(AgentSetting.OUTPUT_CERTS, blocker.resolve("out").toString()));
        scheduler.runDue();
        IssuedCertificate first = agent.cache().held().orElseThrow().certificate();
        SdsClient c = client("default", "ROOTCA");
        await().atMost(20, TimeUnit.SECONDS).until(() -> c.secret("default").isPresent() && c.acksSent() >= 1);
        assertThat(leaf(c)).isEqualTo(first.leaf());

        assertThat(agent.output().orElseThrow().failures()).isEqualTo(1);
        HttpResponse<String> ready = http("GET", "/healthz/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("warning: cannot write the certificate files to " + blocker.resolve("out"));
        assertThat(http("GET", "/metrics").body()).contains("meshid_agent_output_write_failures_total 1.0");
        assertThat(http("GET", "/debug/certs").body()).contains("\"outputError\":\"cannot write");

        // The next rotation is still pushed, and counted as a second failed write.
        agent.rotateNow();
        scheduler.runDue();
        IssuedCertificate second = agent.cache().held().orElseThrow().certificate();
        await().atMost(20, TimeUnit.SECONDS).until(() -> leaf(c).equals(second.leaf()));
        assertThat(http("GET", "/metrics").body()).contains("meshid_agent_output_write_failures_total 2.0");
    }

    @Test
    void fileMountedCerts_servesTheMountedFilesOverSdsAndCannotBeRotated() throws Exception {
        TestPki.Issued ca = TestPki.root("Mounted Root").build().intermediate("Mounted CA").build();
        TestPki.Issued svid = ca.svid(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web")).build();
        Path certs = Files.createDirectory(dir.resolve("certs"));
        Files.writeString(certs.resolve("cert-chain.pem"), Pem.write(svid.chainWithoutRoot()));
        Files.writeString(certs.resolve("key.pem"), Pem.writePrivateKey(svid.key()));
        Files.writeString(certs.resolve("root-cert.pem"), Pem.write(svid.root()));
        start(Map.of(AgentSetting.FILE_MOUNTED_CERTS, "true", AgentSetting.FILE_CERTS_DIR, certs.toString()));

        // Ready from the files alone, before any proxy has connected.
        assertThat(http("GET", "/healthz/ready").statusCode()).isEqualTo(200);
        SdsClient c = client("default", "ROOTCA");
        await().atMost(20, TimeUnit.SECONDS).until(() -> c.secret("default").isPresent()
                && c.secret("ROOTCA").isPresent() && c.acksSent() >= 1);
        assertThat(((TlsCertificate) c.secret("default").orElseThrow()).chain()).isEqualTo(svid.chainWithoutRoot());
        assertThat(((TrustBundle) c.secret("ROOTCA").orElseThrow()).certificates()).containsExactly(svid.root());

        HttpResponse<String> rotate = http("POST", "/debug/rotate");
        assertThat(rotate.statusCode()).isEqualTo(409);
        assertThat(agent.rotateNow()).isFalse();
    }

    @Test
    void fileMountedCerts_missingFiles_isNotReadyWithTheDirectory() throws Exception {
        Path certs = Files.createDirectory(dir.resolve("empty"));
        start(Map.of(AgentSetting.FILE_MOUNTED_CERTS, "true", AgentSetting.FILE_CERTS_DIR, certs.toString()));
        HttpResponse<String> r = http("GET", "/healthz/ready");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains(certs.toString());
    }

    @Test
    void fileCertAndFileRoot_throughTheAgentsSocket_areServedNextToTheCaCertificate() throws Exception {
        TestPki.Issued ca = TestPki.root("File Root").build();
        TestPki.Issued server = ca.svid(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/db")).build();
        Path chain = Files.writeString(dir.resolve("chain.pem"), Pem.write(server.chainWithoutRoot()));
        Path key = Files.writeString(dir.resolve("key.pem"), Pem.writePrivateKey(server.key()));
        Path root = Files.writeString(dir.resolve("root.pem"), Pem.write(server.root()));
        start(Map.of());
        scheduler.runDue();
        String fileCert = "file-cert:" + chain + "~" + key;
        String fileRoot = "file-root:" + root;
        SdsClient c = client("default", fileCert, fileRoot);
        await().atMost(20, TimeUnit.SECONDS).until(() -> c.secret("default").isPresent()
                && c.secret(fileCert).isPresent() && c.secret(fileRoot).isPresent());
        assertThat(((TlsCertificate) c.secret(fileCert).orElseThrow()).chain()).isEqualTo(server.chainWithoutRoot());
        assertThat(((TrustBundle) c.secret(fileRoot).orElseThrow()).certificates()).containsExactly(server.root());
        assertThat(leaf(c)).isEqualTo(agent.cache().held().orElseThrow().certificate().leaf());
        assertThat(c.nacksSent()).isZero();
    }
}
