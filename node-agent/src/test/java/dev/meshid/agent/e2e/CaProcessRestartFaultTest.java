package dev.meshid.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.ca.Backoff;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.ca.RetryPolicy;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.TlsCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: the CA runs as a process of its own ({@code meshid ca}, a child JVM) and is killed with SIGTERM while the
 * agent serves SDS and renews; a new CA with the same material then starts on the same port (in the test's JVM, to
 * spare a second JVM start). The agent must keep serving its certificate, retry with backoff, and renew from the new
 * CA without a restart.
 */
class CaProcessRestartFaultTest {
    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final ScheduledExecutorService clientExec = Executors.newSingleThreadScheduledExecutor();
    private NodeAgent agent;
    private SdsClient client;
    private RealCa material;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (material != null) {
            material.close();
        }
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        clientExec.shutdownNow();
    }

    /** Starts {@code meshid ca} in a child JVM and waits until its gRPC port is bound. */
    private Process startCaProcess(RealCa ca, int port) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", classpath, "dev.meshid.ca.e2e.CaMain"));
        command.addAll(ca.commandLine(port));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MESHID_") || k.startsWith("KUBERNETES_"));
        Process p = pb.start();
        processes.add(p);
        List<String> log = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    log.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "ca-process-log");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> !p.isAlive()
                || log.stream().anyMatch(l -> l.contains("IstioCertificateService on 127.0.0.1:" + port)));
        assertThat(p.isAlive()).as(String.join("\n", log)).isTrue();
        return p;
    }

    private X509Certificate servedLeaf() {
        return ((TlsCertificate) client.secret("default").orElseThrow()).chain().get(0);
    }

    @Test
    void caProcessKilledAndCaStartedAgain_agentKeepsServingRetriesAndRenewsFromTheNewCa() throws Exception {
        material = new RealCa(dir);
        int port = material.port();
        material.stop(); // only its files and port are used: the CA itself runs as a process
        Process first = startCaProcess(material, port);

        FakeClock clock = FakeClock.startingNow();
        ManualScheduler scheduler = new ManualScheduler(clock);
        Path token = Files.writeString(dir.resolve("istio-token"), material.token("shop", "web"));
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.CA_ADDR, "127.0.0.1:" + port);
        flags.put(AgentSetting.CA_SERVER_NAME, RealCa.SERVER_NAME);
        flags.put(AgentSetting.CA_ROOT, material.rootFile.toString());
        flags.put(AgentSetting.TOKEN_PATH, token.toString());
        flags.put(AgentSetting.POD_NAMESPACE, "shop");
        flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
        flags.put(AgentSetting.SECRET_TTL, "1h");
        flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        agent = NodeAgent.builder(ConfigLoader.load(flags, Map.of())).clock(clock).scheduler(scheduler)
                .random(new SplittableRandom(1))
                .retryPolicy(new RetryPolicy(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4), 2, 0.2)))
                .filePollInterval(Duration.ofDays(1)).socketCheckInterval(Duration.ofDays(1)).start();
        scheduler.runDue();
        IssuedCertificate before = agent.cache().held().orElseThrow().certificate();
        client = new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(agent.config().sdsSocket())))
                .names(List.of("default", "ROOTCA")).scheduler(Scheduler.of(clientExec))
                .random(new SplittableRandom(2)).start();
        await().atMost(20, TimeUnit.SECONDS).until(() -> client.secret("default").isPresent());

        first.destroy(); // SIGTERM, as a pod deletion sends
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        agent.rotateNow();
        scheduler.advance(Duration.ofSeconds(15));
        double failed = agent.metrics().registry().get("istio_agent_num_failed_outgoing_requests").counter().count();
        boolean servedWhileDown = servedLeaf().equals(before.leaf()) && agent.cache().ready();

        material.start();
        long restarted = System.nanoTime();
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).until(() -> {
            scheduler.nextDue().filter(due -> due.isAfter(clock.instant()))
                    .ifPresent(due -> scheduler.advance(Duration.between(clock.instant(), due)));
            scheduler.runDue();
            return !agent.cache().held().orElseThrow().certificate().equals(before);
        });
        IssuedCertificate after = agent.cache().held().orElseThrow().certificate();
        await().atMost(20, TimeUnit.SECONDS).until(() -> servedLeaf().equals(after.leaf()));
        System.out.printf("FAULT ca-process-restart: CA process killed (SIGTERM) during a renewal; failed attempts in "
                + "15 s=%.0f, SDS kept serving the old certificate=%s; a new CA on the same port issued the "
                + "renewal %d ms after it was up, SDS pushed it=true%n", failed, servedWhileDown,
                (System.nanoTime() - restarted) / 1_000_000);

        assertThat(servedWhileDown).isTrue();
        // 1 s doubling to a 4 s cap over 15 s: a handful of attempts, not a loop.
        assertThat(failed).isBetween(3.0, 8.0);
        assertThat(after.serialHex()).isNotEqualTo(before.serialHex());
        assertThat(after.roots()).isEqualTo(before.roots());
    }
}
