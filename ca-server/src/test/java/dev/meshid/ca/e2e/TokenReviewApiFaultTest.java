package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault: the Kubernetes API server is down, hung or slow while the CA runs TokenReviews: a closed port, a port that
 * accepts connections and never answers, fabric8's mock answering only after 20 s. The CA's Kubernetes client is
 * configured from a kubeconfig, as in production. Concurrent requests must all get UNAVAILABLE within the CA's 5 s
 * bound plus scheduling (p99 measured), and the same CA must issue again once fabric8's mock answers at once on the
 * same port, without a restart.
 */
class TokenReviewApiFaultTest {
    private static final String REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final int CONCURRENT = 10;
    /** The CA's API-server timeout is 5 s; allow for a loaded machine on top, never the mock's 20 s. */
    private static final Duration BOUND = Duration.ofSeconds(9);

    @TempDir
    Path dir;
    private final Tokens tokens = new Tokens("not-known-locally");
    private final ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
    private KubeCa ca;
    private KubernetesMockServer apiServer;

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (ca != null) {
            ca.close();
        }
        if (apiServer != null) {
            apiServer.destroy();
        }
    }

    private static String kubeconfig(int port) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: u, user: {token: ca-token}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted(port);
    }

    private static TokenReview accepted(String ns, String sa) {
        return new TokenReviewBuilder().withNewStatus().withAuthenticated(true).withAudiences("istio-ca")
                .withNewUser().withUsername("system:serviceaccount:" + ns + ":" + sa)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated")
                .endUser().endStatus().build();
    }

    /** One phase's outcome: the codes and the latencies of {@link #CONCURRENT} concurrent requests. */
    private record Phase(List<Status.Code> codes, List<Duration> latencies) {
        Duration p99() {
            List<Duration> sorted = latencies.stream().sorted().toList();
            return sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
        }

        Duration p50() {
            List<Duration> sorted = latencies.stream().sorted().toList();
            return sorted.get((int) Math.ceil(0.50 * sorted.size()) - 1);
        }
    }

    private Phase concurrentRequests(String phase) throws Exception {
        List<Future<Object[]>> futures = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            String sa = phase.replaceAll("[^a-z]+", "-") + i;
            // The CSR and the token are made before the clock starts: only the CA's answer is timed.
            var request = KubeCa.request("shop", sa, false);
            var stub = ca.stub(CaFixture.bearer(tokens.token("shop", sa)));
            futures.add(callers.submit(() -> {
                long start = System.nanoTime();
                Status.Code code;
                try {
                    stub.createCertificate(request);
                    code = Status.Code.OK;
                } catch (StatusRuntimeException e) {
                    code = e.getStatus().getCode();
                }
                return new Object[] {code, Duration.ofNanos(System.nanoTime() - start)};
            }));
        }
        List<Status.Code> codes = new ArrayList<>();
        List<Duration> latencies = new ArrayList<>();
        for (Future<Object[]> f : futures) {
            Object[] r = f.get(60, TimeUnit.SECONDS);
            codes.add((Status.Code) r[0]);
            latencies.add((Duration) r[1]);
        }
        Phase p = new Phase(codes, latencies);
        System.out.printf("FAULT tokenreview %-38s %d concurrent: codes=%s p50=%dms p99=%dms%n", phase + ":",
                CONCURRENT, codes.stream().distinct().toList(), p.p50().toMillis(), p.p99().toMillis());
        return p;
    }

    /** How the API server fails; each starts on {@code port} and stops when closed. */
    enum ApiFault {
        CLOSED_PORT, ACCEPTS_NEVER_ANSWERS, ANSWERS_AFTER_20_S;

        AutoCloseable start(int port) throws Exception {
            switch (this) {
                case CLOSED_PORT:
                    return () -> { };
                case ACCEPTS_NEVER_ANSWERS:
                    // Never accepted: the kernel completes the handshakes and the requests sit unread.
                    return new ServerSocket(port, 100, InetAddress.getLoopbackAddress());
                default:
                    KubernetesMockServer slow = new KubernetesMockServer(false);
                    slow.expect().post().delay(20, TimeUnit.SECONDS).withPath(REVIEWS)
                            .andReturn(201, accepted("shop", "slow")).always();
                    slow.init(InetAddress.getLoopbackAddress(), port);
                    return slow::destroy;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ApiFault.class)
    void tokenReview_apiServerDownOrSlow_unavailableWithinTheBoundThenIssuesAgainWithoutRestart(ApiFault fault)
            throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ca = new KubeCa(dir, new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig(port)))
                .build(), Map.of());

        // Open the TLS connection first (a request without a token is refused without the API server), so that
        // only the TokenReview wait is timed.
        assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> ca.stub(new Metadata())
                .createCertificate(KubeCa.request("shop", "warm", false))).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);

        Phase failing;
        try (AutoCloseable api = fault.start(port)) {
            failing = concurrentRequests(fault.name());
        }

        apiServer = new KubernetesMockServer(false);
        apiServer.expect().post().withPath(REVIEWS).andReturn(201, accepted("shop", "back")).always();
        apiServer.init(InetAddress.getLoopbackAddress(), port);
        long start = System.nanoTime();
        IstioCertificateResponse[] issued = new IstioCertificateResponse[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            issued[0] = ca.stub(CaFixture.bearer(tokens.token("shop", "back"))).createCertificate(
                    KubeCa.request("shop", "back", false));
            return true;
        });
        Duration recovery = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("FAULT tokenreview %s then API answers: first certificate after %d ms, same CA process, "
                + "chain of %d%n", fault, recovery.toMillis(), issued[0].getCertChainCount());

        assertThat(failing.codes()).containsOnly(Status.Code.UNAVAILABLE);
        assertThat(failing.p99()).isLessThan(BOUND);
        ChainChecks.check(issued[0].getCertChainList(), List.of(ca.root.cert()), CaFixture.id("shop", "back"));
        assertThat(recovery).isLessThan(Duration.ofSeconds(10));
    }
}
