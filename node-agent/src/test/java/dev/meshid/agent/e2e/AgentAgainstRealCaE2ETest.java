package dev.meshid.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.ca.Backoff;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.ca.RetryPolicy;
import dev.meshid.agent.config.AgentConfig;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real meshid CA on a real TLS port, serving Envoy SDS on a real Unix socket to an Envoy-like
 * client. The agent's time is a {@link FakeClock} and its rotations run on a {@link ManualScheduler}, so a 60 s
 * certificate rotates when the test says so; the CA and the SDS client run on real time.
 */
class AgentAgainstRealCaE2ETest {
    @TempDir
    Path dir;

    private RealCa ca;
    private FakeClock clock;
    private ManualScheduler scheduler;
    private NodeAgent agent;
    private SdsClient client;
    private final ScheduledExecutorService clientExec = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void setUp() throws Exception {
        ca = new RealCa(dir);
        Path token = dir.resolve("istio-token");
        Files.writeString(token, ca.token("shop", "web"));
        clock = FakeClock.startingNow();
        scheduler = new ManualScheduler(clock);
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.CA_ADDR, "127.0.0.1:" + ca.port());
        flags.put(AgentSetting.CA_SERVER_NAME, RealCa.SERVER_NAME);
        flags.put(AgentSetting.CA_ROOT, ca.rootFile.toString());
        flags.put(AgentSetting.TOKEN_PATH, token.toString());
        flags.put(AgentSetting.POD_NAMESPACE, "shop");
        flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
        flags.put(AgentSetting.SECRET_TTL, "60s");
        flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        flags.put(AgentSetting.ADMIN_ADDR, "127.0.0.1:0");
        flags.put(AgentSetting.OUTPUT_CERTS, dir.resolve("out").toString());
        AgentConfig config = ConfigLoader.load(flags, Map.of());
        agent = NodeAgent.builder(config).clock(clock).scheduler(scheduler).random(new SplittableRandom(1))
                .retryPolicy(new RetryPolicy(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4), 2, 0.2)))
                .filePollInterval(Duration.ofDays(1)).socketCheckInterval(Duration.ofDays(1)).start();
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (ca != null) {
            ca.close();
        }
        clientExec.shutdownNow();
    }

    private SdsClient sdsClient() {
        return new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(agent.config().sdsSocket())))
                .names(List.of("default", "ROOTCA")).scheduler(Scheduler.of(clientExec))
                .random(new SplittableRandom(2)).start();
    }

    private X509Certificate servedLeaf() {
        return ((TlsCertificate) client.secret("default").orElseThrow()).chain().get(0);
    }

    private double failedAttempts() {
        var c = agent.metrics().registry().find("istio_agent_num_failed_outgoing_requests").counter();
        return c == null ? 0 : c.count();
    }

    private String get(String path) throws Exception {
        var address = agent.adminAddress().orElseThrow();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + address.getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void agent_realCa_issuesServesOverSdsRotatesAndPushes() throws Exception {
        assertThat(get("/healthz/ready")).startsWith("503");
        scheduler.runDue();
        IssuedCertificate first = agent.cache().held().orElseThrow().certificate();
        assertThat(first.spiffeId().toString()).isEqualTo("spiffe://cluster.local/ns/shop/sa/web");
        assertThat(get("/healthz/ready")).startsWith("200");

        // The chain the CA issued, checked by the real openssl against the root it was given.
        var verify = OpenSsl.verify(ca.root.cert(), first.chain().subList(1, first.chain().size()), first.leaf(),
                "-purpose", "sslclient");
        assertThat(verify.ok()).as(verify.output()).isTrue();
        assertThat(SvidInfo.requireSpiffeId(first.leaf())).isEqualTo(first.spiffeId());

        client = sdsClient();
        await().atMost(20, TimeUnit.SECONDS).until(() -> client.secret("default").isPresent()
                && client.secret("ROOTCA").isPresent() && client.acksSent() >= 1);
        assertThat(servedLeaf()).isEqualTo(first.leaf());
        assertThat(((TrustBundle) client.secret("ROOTCA").orElseThrow()).certificates()).containsExactly(ca.root.cert());

        // 60 s certificate with a 2 min backdated NotBefore: nothing is due right after receipt...
        assertThat(scheduler.runDue()).isZero();
        // ...and the renewal falls due about 30 s later.
        long acks = client.acksSent();
        scheduler.advance(Duration.ofSeconds(31));
        IssuedCertificate second = agent.cache().held().orElseThrow().certificate();
        assertThat(second.serialHex()).isNotEqualTo(first.serialHex());
        await().atMost(20, TimeUnit.SECONDS).until(() -> servedLeaf().equals(second.leaf())
                && client.acksSent() > acks);
        assertThat(agent.sds().metrics().pushes()).isGreaterThanOrEqualTo(1);

        // A forced rotation pushes too.
        agent.rotateNow();
        scheduler.runDue();
        IssuedCertificate third = agent.cache().held().orElseThrow().certificate();
        await().atMost(20, TimeUnit.SECONDS).until(() -> servedLeaf().equals(third.leaf()));

        // The output files follow.
        assertThat(Files.readString(dir.resolve("out/cert-chain.pem"))).isEqualTo(new String(third.chainPem()));
        String metrics = get("/metrics");
        assertThat(metrics).contains("istio_agent_cert_expiry_seconds{resource_name=\"default\"}")
                .contains("meshid_agent_cert_expiry_timestamp_seconds " + (double) third.notAfter().getEpochSecond())
                .contains("meshid_agent_last_rotation_timestamp_seconds")
                .contains("istio_agent_num_outgoing_requests_total{request_type=\"csr\"} 3.0");
        assertThat(get("/debug/certs")).startsWith("200").contains(third.serialHex())
                .contains("spiffe://cluster.local/ns/shop/sa/web").contains("nextRotation");
    }

    @Test
    void agent_caOutageLongerThanHalfTheLifetime_keepsServingAndRecoversWithoutRestart() throws Exception {
        scheduler.runDue();
        IssuedCertificate first = agent.cache().held().orElseThrow().certificate();
        client = sdsClient();
        await().atMost(20, TimeUnit.SECONDS).until(() -> client.secret("default").isPresent());

        ca.stop();
        // Past the renewal point (30 s) and on to 40 s of a 60 s certificate: every attempt fails for real.
        List<Duration> waits = new java.util.ArrayList<>();
        java.time.Instant outageEnd = clock.instant().plusSeconds(40);
        while (scheduler.nextDue().filter(due -> !due.isAfter(outageEnd)).isPresent()) {
            java.time.Instant due = scheduler.nextDue().orElseThrow();
            double failedBefore = failedAttempts();
            scheduler.advance(Duration.between(clock.instant(), due));
            if (failedAttempts() > failedBefore) {
                scheduler.nextDue().ifPresent(next -> waits.add(Duration.between(clock.instant(), next)));
            }
        }
        scheduler.advance(Duration.between(clock.instant(), outageEnd));
        double failed = failedAttempts();
        // Backoff 1 s doubling to a 4 s cap (+/- 20 %): the waits grow, then stay at the cap; no tight loop.
        assertThat(waits).isNotEmpty();
        assertThat(waits.get(waits.size() - 1)).isGreaterThanOrEqualTo(Duration.ofMillis(3200));
        assertThat(failed).isBetween(3.0, 12.0);
        assertThat(agent.cache().held().orElseThrow().certificate()).isEqualTo(first);
        assertThat(agent.cache().ready()).isTrue();
        assertThat(servedLeaf()).isEqualTo(first.leaf());
        assertThat(get("/metrics")).contains("istio_agent_num_failed_outgoing_requests_total{request_type=\"csr\"}")
                .contains("meshid_agent_ca_errors_total{code=\"UNAVAILABLE\"}");

        ca.start();
        // Retries continue on the capped backoff; the CA answers again and the agent recovers by itself. The agent's
        // clock jumps to each planned retry and no further: the real CA issues on real time, and a fake clock run
        // ahead by a fixed step per poll would, on a slow machine, pass the new certificates' NotAfter (60 s) and
        // make the agent refuse them as expired.
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).until(() -> {
            scheduler.nextDue().filter(due -> due.isAfter(clock.instant()))
                    .ifPresent(due -> scheduler.advance(Duration.between(clock.instant(), due)));
            scheduler.runDue();
            return !agent.cache().held().orElseThrow().certificate().equals(first);
        });
        IssuedCertificate recovered = agent.cache().held().orElseThrow().certificate();
        assertThat(agent.cache().ready()).isTrue();
        await().atMost(20, TimeUnit.SECONDS).until(() -> servedLeaf().equals(recovered.leaf()));
        assertThat(get("/healthz/ready")).startsWith("200");
        System.out.printf("FAULT ca-restart: CA stopped for 40 s of a 60 s certificate while SDS streamed; failed "
                + "attempts=%.0f, retry waits=%s, SDS kept serving the old certificate=true, renewed after the CA "
                + "came back on the same port (new CA instance)=%s, SDS pushed it=true%n", failed,
                waits.stream().map(d -> d.toMillis() + "ms").toList(), !recovered.equals(first));
    }
}
