package dev.meshid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.testing.FakeCa;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.ca.testing.CapturedLog;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.TlsCertificate;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Fault: the SDS socket file is deleted under a running agent. The agent's periodic check (on its injected
 * scheduler) must notice, bind the socket again, say so in the log and a metric; new SDS clients can connect, and
 * a stream opened before keeps receiving pushes.
 */
class SdsSocketDeletedFaultTest {
    private static final Duration CHECK = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.startingNow();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ScheduledExecutorService clientExec = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        clientExec.shutdownNow();
    }

    private SdsClient client(Path socket, long seed) {
        SdsClient c = new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(socket)))
                .names(List.of("default", "ROOTCA")).scheduler(Scheduler.of(clientExec))
                .random(new SplittableRandom(seed)).start();
        closing.add(c);
        return c;
    }

    private static byte[] leaf(SdsClient c) throws Exception {
        return ((TlsCertificate) c.secret("default").orElseThrow()).chain().get(0).getEncoded();
    }

    @Test
    void sdsSocketDeleted_agentBindsItAgainReportsItAndOldAndNewClientsGetPushes() throws Exception {
        Path socket = dir.resolve("sds.sock");
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.SDS_SOCKET, socket.toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        flags.put(AgentSetting.POD_NAMESPACE, "shop");
        flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
        NodeAgent agent = NodeAgent.builder(ConfigLoader.load(flags, Map.of())).clock(clock).scheduler(scheduler)
                .random(new SplittableRandom(7)).caClient(new FakeCa(clock)).filePollInterval(Duration.ofDays(1))
                .socketCheckInterval(CHECK).start();
        closing.add(agent);
        scheduler.runDue();
        IssuedCertificate first = agent.cache().held().orElseThrow().certificate();
        SdsClient before = client(socket, 1);
        await().atMost(20, TimeUnit.SECONDS).until(() -> before.secret("default").isPresent());

        try (CapturedLog log = new CapturedLog()) {
            Files.delete(socket);
            // Between deletion and the next check, nothing can connect: the path is gone.
            assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
            scheduler.advance(CHECK);
            boolean restored = Files.exists(socket, LinkOption.NOFOLLOW_LINKS);
            long logLines = log.lines("WARN", "SDS socket unix:" + socket + " had been deleted");
            double metric = agent.metrics().registry().get("meshid_agent_sds_socket_recreated").functionCounter()
                    .count();

            SdsClient after = client(socket, 2);
            long start = System.nanoTime();
            await().atMost(20, TimeUnit.SECONDS).until(() -> after.secret("default").isPresent());
            long connectMillis = (System.nanoTime() - start) / 1_000_000;
            agent.rotateNow();
            scheduler.runDue();
            IssuedCertificate second = agent.cache().held().orElseThrow().certificate();
            await().atMost(20, TimeUnit.SECONDS).until(() -> Arrays.equals(leaf(before), second.leaf().getEncoded())
                    && Arrays.equals(leaf(after), second.leaf().getEncoded()));
            // Further checks find the socket in place and leave it alone.
            scheduler.advance(CHECK.multipliedBy(3));
            double metricLater = agent.metrics().registry().get("meshid_agent_sds_socket_recreated")
                    .functionCounter().count();
            System.out.printf("FAULT sds-socket-deleted: re-created after one %ds check=%s, log lines=%d, "
                    + "meshid_agent_sds_socket_recreated=%.0f (after 3 more checks %.0f), new client served in %d ms, "
                    + "old stream got the rotation=true%n", CHECK.toSeconds(), restored, logLines, metric,
                    metricLater, connectMillis);

            assertThat(restored).isTrue();
            assertThat(logLines).isEqualTo(1);
            assertThat(metric).isEqualTo(1);
            assertThat(metricLater).isEqualTo(1);
            assertThat(second.serialHex()).isNotEqualTo(first.serialHex());
        }
    }
}
