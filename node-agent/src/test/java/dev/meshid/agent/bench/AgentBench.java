package dev.meshid.agent.bench;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.config.AgentConfig;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.agent.testing.FakeCa;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.TlsCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measurements of the agent (no JUnit). Modes:
 * <ul>
 *   <li>{@code agent DIR}: runs an agent (in-process test CA, 1 h certificates) with its SDS socket at
 *   DIR/sds.sock and admin on 127.0.0.1:15920 until killed; the script measures its RSS and start-to-ready.</li>
 *   <li>{@code clients DIR N}: opens N SDS streams to DIR/sds.sock and holds them until killed.</li>
 *   <li>{@code push N}: one JVM, agent + one SDS client; N forced rotations; prints p50/p99 of the time from the
 *   new certificate entering the cache to the agent receiving the client's ACK of it.</li>
 * </ul>
 */
public final class AgentBench {
    private AgentBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "agent" -> agent(Path.of(args[1]));
            case "clients" -> clients(Path.of(args[1]), Integer.parseInt(args[2]));
            case "push" -> push(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("mode: agent DIR | clients DIR N | push N");
        }
    }

    private static NodeAgent start(Path dir, String admin) throws Exception {
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, dir.resolve("spiffe.sock").toString());
        flags.put(AgentSetting.ADMIN_ADDR, admin);
        flags.put(AgentSetting.SECRET_TTL, "1h");
        AgentConfig config = ConfigLoader.load(flags, Map.of());
        return NodeAgent.builder(config).caClient(new FakeCa(Clock.systemUTC())).start();
    }

    private static void agent(Path dir) throws Exception {
        Files.createDirectories(dir);
        NodeAgent agent = start(dir, "127.0.0.1:15920");
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
        Thread.currentThread().join();
    }

    private static SdsClient client(Path socket, ScheduledExecutorService exec, int seed) {
        return new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(socket)))
                .names(List.of("default", "ROOTCA")).scheduler(Scheduler.of(exec))
                .random(new SplittableRandom(seed)).start();
    }

    private static void clients(Path dir, int n) throws Exception {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
        List<SdsClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(client(dir.resolve("sds.sock"), exec, i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (clients.stream().anyMatch(c -> c.acksSent() < 1) && System.nanoTime() < deadline) {
            Thread.sleep(50); // a measuring tool polling a real process, not a test waiting for time
        }
        System.out.println("clients-ready " + clients.stream().filter(c -> c.acksSent() >= 1).count());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * The measured interval starts when the new certificate is in the cache (a watcher registered before any SDS
     * stream is told first, so its timestamp precedes the push) and ends when the agent has received the client's
     * ACK of it. Key generation, the CSR and the CA's signing happen before the interval and are reported apart.
     * The main thread waits with short parks, not a busy spin, so it does not take a core from the agent.
     */
    private static void push(int n) throws Exception {
        Path dir = Files.createTempDirectory("agent-bench");
        try (NodeAgent agent = start(dir, "off")) {
            AtomicLong inCacheAt = new AtomicLong();
            agent.cache().watch("default", (name, value) -> inCacheAt.set(System.nanoTime()));
            while (agent.cache().held().isEmpty()) {
                LockSupport.parkNanos(100_000);
            }
            ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
            SdsClient c = client(dir.resolve("sds.sock"), exec, 1);
            while (agent.sds().metrics().acks() < 1) {
                LockSupport.parkNanos(100_000);
            }
            long[] pushToAck = new long[n];
            long[] issue = new long[n];
            for (int i = 0; i < n; i++) {
                long acks = agent.sds().metrics().acks();
                long asked = System.nanoTime();
                agent.rotateNow();
                while (agent.sds().metrics().acks() <= acks) {
                    LockSupport.parkNanos(10_000);
                }
                long acked = System.nanoTime();
                String served = ((TlsCertificate) c.secret("default").orElseThrow()).chain().get(0).getSerialNumber()
                        .toString(16);
                if (!served.equalsIgnoreCase(agent.cache().held().orElseThrow().certificate().serialHex())) {
                    throw new IllegalStateException("rotation " + i + ": the client ACKed another certificate");
                }
                pushToAck[i] = (acked - inCacheAt.get()) / 1000;
                issue[i] = (inCacheAt.get() - asked) / 1000;
            }
            System.out.println("push-to-ack " + stats(n, pushToAck) + " (new certificate in the cache -> ACK at the"
                    + " agent)");
            System.out.println("key+csr+sign " + stats(n, issue) + " (rotateNow -> new certificate in the cache)");
            c.close();
            exec.shutdownNow();
        }
    }

    private static String stats(int n, long[] micros) {
        long[] m = micros.clone();
        Arrays.sort(m);
        return String.format("over %d rotations: p50 %.2f ms, p99 %.2f ms, max %.2f ms", n, m[n / 2] / 1000.0,
                m[(int) (n * 0.99)] / 1000.0, m[n - 1] / 1000.0);
    }
}
