package dev.meshid.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.ca.ResponseCheck;
import dev.meshid.agent.ca.RetryPolicy;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: a rotation storm. 500 simulated agents whose certificates all expire within the same minute ask a real CA
 * (TLS gRPC on a real port, JWT authentication with its verified-token cache, {@code MAX_IN_FLIGHT} 128, half its default on 2 cores) at the same
 * instant, each with its own pre-generated EC P-256 key and a real CSR. Each retries RESOURCE_EXHAUSTED and
 * UNAVAILABLE after the agent's own {@link RetryPolicy#DEFAULT} (exponential backoff with jitter from a per-agent
 * random generator) and checks the answer as the agent does ({@link ResponseCheck}). Every agent must end with its
 * certificate, no request may be lost or fail otherwise, and the heap (after GC) must stay bounded.
 */
class RotationStormFaultTest {
    private static final int AGENTS = 500;
    private static final int CHANNELS = 25;
    private static final int MAX_IN_FLIGHT = 128;
    /** Heap the storm may leave behind after GC; the CA keeps no per-request state beyond its caches. */
    private static final long HEAP_BOUND_BYTES = 64L << 20;

    @TempDir
    static Path dir;
    private static RealCa ca;
    private static final List<Agent> agents = new ArrayList<>();

    /** One simulated agent: its identity, key, CSR and token, made once for the whole class. */
    private record Agent(int index, SpiffeId id, KeyPair keys, IstioCertificateRequest request, Metadata headers,
                         SplittableRandom random) {
    }

    @BeforeAll
    static void fixture() throws Exception {
        long start = System.nanoTime();
        ca = new RealCa(dir, Map.of(Setting.MAX_IN_FLIGHT, String.valueOf(MAX_IN_FLIGHT)));
        for (int i = 0; i < AGENTS; i++) {
            String sa = "svc-" + i;
            SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/storm/sa/" + sa);
            KeyPair keys = Keys.generate(KeyAlgorithm.EC_P256);
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + ca.token("storm", sa));
            IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
                    .setCsr(Pem.write(CsrBuilder.forKeyPair(keys, id).build())).setValidityDuration(3600).build();
            agents.add(new Agent(i, id, keys, request, headers, new SplittableRandom(i)));
        }
        System.out.printf("FAULT rotation-storm fixture: CA started, %d EC P-256 keys, CSRs and tokens in %d ms%n",
                AGENTS, (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void close() {
        if (ca != null) {
            ca.close();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void rotationStorm_500AgentsAtOnce_everyOneGetsItsCertificateWithBackoffAndTheHeapStaysBounded()
            throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ScheduledExecutorService retries = Executors.newScheduledThreadPool(2);
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < CHANNELS; i++) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", ca.port()).eventLoopGroup(group)
                        .channelType(NioSocketChannel.class)
                        .sslContext(GrpcSslContexts.forClient().trustManager(ca.root.cert()).build())
                        .overrideAuthority(RealCa.SERVER_NAME).build());
            }
            long heapBefore = usedHeapAfterGc();
            Storm storm = new Storm(channels, retries);
            long start = System.nanoTime();
            agents.forEach(storm::attempt);
            assertThat(storm.done.await(55, TimeUnit.SECONDS)).as("all agents finished").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            List<Long> latencies = new ArrayList<>(storm.latencyMillis.values());
            Collections.sort(latencies);
            int issued = storm.issued.size();
            int requests = storm.requests.get();
            Map<Status.Code, Integer> codes = Map.copyOf(storm.codes);
            Set<String> fatal = Set.copyOf(storm.fatal);
            storm = null;
            long heapAfter = usedHeapAfterGc();
            System.out.printf("FAULT rotation-storm: %d agents at once, MAX_IN_FLIGHT=%d, %d TLS channels: issued=%d "
                    + "requests=%d retries=%d (by code %s) p50=%dms p99=%dms max=%dms duration=%dms heap after GC "
                    + "before=%dMiB after=%dMiB growth=%dMiB (bound %dMiB)%n", AGENTS, MAX_IN_FLIGHT, CHANNELS, issued,
                    requests, requests - issued, codes, latencies.get(latencies.size() / 2),
                    latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1), latencies.get(latencies.size() - 1),
                    took.toMillis(), heapBefore >> 20, heapAfter >> 20, (heapAfter - heapBefore) >> 20,
                    HEAP_BOUND_BYTES >> 20);

            assertThat(fatal).as("failures that are not retried").isEmpty();
            assertThat(issued).isEqualTo(AGENTS);
            assertThat(latencies).hasSize(AGENTS);
            // Every request is accounted for: one success per agent, every other answer a retried overload.
            assertThat(codes.keySet()).isSubsetOf(Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE);
            assertThat(requests - issued).isEqualTo(codes.values().stream().mapToInt(Integer::intValue).sum());
            assertThat(heapAfter - heapBefore).isLessThan(HEAP_BOUND_BYTES);
            assertThat(took).isLessThan(Duration.ofSeconds(50));
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            retries.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** The storm's shared state: what each agent got and how often it asked. */
    private static final class Storm {
        final List<ManagedChannel> channels;
        final ScheduledExecutorService retries;
        final CountDownLatch done = new CountDownLatch(AGENTS);
        final AtomicInteger requests = new AtomicInteger();
        final Map<Integer, String> issued = new ConcurrentHashMap<>();
        final Map<Integer, Long> latencyMillis = new ConcurrentHashMap<>();
        final Map<Status.Code, Integer> codes = new ConcurrentHashMap<>();
        final Set<String> fatal = ConcurrentHashMap.newKeySet();
        final Map<Integer, Integer> failures = new ConcurrentHashMap<>();
        final long start = System.nanoTime();

        Storm(List<ManagedChannel> channels, ScheduledExecutorService retries) {
            this.channels = channels;
            this.retries = retries;
        }

        void attempt(Agent a) {
            requests.incrementAndGet();
            IstioCertificateServiceGrpc.newStub(channels.get(a.index() % channels.size()))
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(a.headers()))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .createCertificate(a.request(), new StreamObserver<>() {
                        private IstioCertificateResponse response;

                        @Override
                        public void onNext(IstioCertificateResponse value) {
                            response = value;
                        }

                        @Override
                        public void onError(Throwable t) {
                            Status status = Status.fromThrowable(t);
                            CaCallException error = new CaCallException(status.getCode(), String.valueOf(
                                    status.getDescription()));
                            if (status.getCode() != Status.Code.RESOURCE_EXHAUSTED
                                    && status.getCode() != Status.Code.UNAVAILABLE) {
                                fatal.add(a.id() + ": " + status);
                                done.countDown();
                                return;
                            }
                            codes.merge(status.getCode(), 1, Integer::sum);
                            int n = failures.merge(a.index(), 1, Integer::sum);
                            Duration wait;
                            synchronized (a.random()) {
                                wait = RetryPolicy.DEFAULT.delay(n, error, a.random());
                            }
                            retries.schedule(() -> attempt(a), wait.toNanos(), TimeUnit.NANOSECONDS);
                        }

                        @Override
                        public void onCompleted() {
                            try {
                                IssuedCertificate cert = ResponseCheck.check(response.getCertChainList(), a.keys(),
                                        a.id(), Instant.now());
                                issued.put(a.index(), cert.serialHex());
                                latencyMillis.put(a.index(), (System.nanoTime() - start) / 1_000_000);
                            } catch (CaCallException e) {
                                fatal.add(a.id() + ": " + e.getMessage());
                            }
                            done.countDown();
                        }
                    });
        }
    }
}
