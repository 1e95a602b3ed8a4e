package dev.meshid.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.bundle.WatchState;
import dev.meshid.agent.cache.SecretCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin server's request-head limits, over real TCP on 127.0.0.1 (port 0), with short test limits. */
class AdminServerLimitsTest {
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_HEAD = 4096;
    private final Clock clock = Clock.systemUTC();
    private final SecretCache cache = new SecretCache(clock, false);
    private final HttpClient http = HttpClient.newHttpClient();
    private AdminServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), new AdminServer.Sources(Optional::empty,
                new AgentMetrics(cache, clock), cache::held, Optional::empty, clock, () -> true,
                () -> new AdminServer.BundleView(WatchState.CONNECTED, Optional.empty())),
                new AdminLimits(HEAD_TIMEOUT, MAX_HEAD, 2));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void slowClient_tricklingItsHead_isDisconnected_whileReadinessIsStillServed() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /healthz/ready HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();

            // A probe gets its answer well inside the head timeout while the slow client holds a worker.
            HttpResponse<String> probe = http.send(HttpRequest.newBuilder(uri("/healthz/ready"))
                    .timeout(HEAD_TIMEOUT.dividedBy(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(probe.statusCode()).isEqualTo(200);
            assertThat(probe.body()).isEqualTo("ready\n");

            // One byte per poll until the server has dropped the connection (a write fails).
            await().atMost(HEAD_TIMEOUT.multipliedBy(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try {
                    out.write('a');
                    out.flush();
                    return false;
                } catch (IOException dropped) {
                    return true;
                }
            });
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            assertThat(held).isGreaterThanOrEqualTo(HEAD_TIMEOUT.minusMillis(100));
            assertThat(server.headTimeouts()).isEqualTo(1);
        }
        assertThat(get("/healthz/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedHead_is431_andTheServerKeepsServing() throws Exception {
        try (Socket big = new Socket("127.0.0.1", server.address().getPort())) {
            big.setSoTimeout(10_000);
            String head = "GET /healthz/ready HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(MAX_HEAD) + "\r\n\r\n";
            big.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            big.getOutputStream().flush();
            InputStream in = big.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            // readAllBytes returned: the server closed the connection after answering.
            assertThat(response).startsWith("HTTP/1.1 431");
        }
        HttpResponse<String> after = get("/healthz/ready");
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void headJustUnderTheLimit_isServed() throws Exception {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri("/healthz/ready"))
                .header("X-Pad", "p".repeat(MAX_HEAD / 2)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }
}
