package dev.meshid.proxy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import dev.meshid.proxy.testing.TlsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and oversized clients on the proxy's inbound (plaintext and mTLS, PERMISSIVE) and outbound listeners:
 * a client that trickles its request head one byte every 200 ms, or never finishes its TLS handshake, is
 * disconnected once the request-headers timeout (1 s here, 10 s by default) passes, while a normal client is
 * served meanwhile; an oversized head gets 400 and an oversized body 413.
 */
class SlowClientsAndLimitsTest {
  static final String SERVER = "spiffe://cluster.local/ns/default/sa/server";
  static final String CLIENT = "spiffe://cluster.local/ns/default/sa/client";
  private static final Duration CLOSED_WITHIN = Duration.ofSeconds(8);

  static TestPki.Issued root;
  static Svid client;
  static TestApp app;
  static Agent agent;
  static ProxyServer proxy;
  private final List<Socket> sockets = new ArrayList<>();
  private ScheduledExecutorService drip;

  @BeforeAll
  static void start() {
    root = Svid.root("slow clients root");
    client = Svid.issue(root, CLIENT);
    app = TestApp.start("server");
    agent = Agent.serving(Svid.issue(root, SERVER), Svid.bundle(root));
    proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), null)
        .requestHeadersTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(2)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    agent.close();
    app.close();
  }

  @BeforeEach
  void startDrip() {
    drip = Executors.newScheduledThreadPool(1);
  }

  @AfterEach
  void closeAll() throws IOException {
    drip.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
  }

  @Test
  void inboundPlaintext_headersTrickled_areClosed_whileANormalClientIsServed() throws Exception {
    for (int i = 0; i < 10; i++) {
      Socket s = new Socket();
      s.connect(proxy.inboundAddress(), 5000);
      trickle(s.getOutputStream());
      sockets.add(s);
    }

    assertThat(plainGet(proxy.inboundAddress())).isEqualTo(200);
    assertAllClosed("inbound plaintext, headers trickled");
  }

  @Test
  void inboundTls_handshakeNeverFinished_orHeadersTrickledAfterIt_areClosed() throws Exception {
    for (int i = 0; i < 5; i++) {
      Socket s = new Socket();
      s.connect(proxy.inboundAddress(), 5000);
      s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
      trickle(s.getOutputStream());
      sockets.add(s);
    }
    for (int i = 0; i < 5; i++) {
      TlsClient tls = TlsClient.connect(proxy.inboundAddress().getPort(), client, root);
      trickle(tls.socket().getOutputStream());
      sockets.add(tls.socket());
    }

    try (TlsClient normal = TlsClient.connect(proxy.inboundAddress().getPort(), client, root)) {
      assertThat(normal.get("/normal")).startsWith("200 server GET /normal");
    }
    assertAllClosed("inbound TLS, handshake stalled or headers trickled");
  }

  @Test
  void outbound_headersTrickled_areClosed() throws Exception {
    for (int i = 0; i < 5; i++) {
      Socket s = new Socket();
      s.connect(proxy.outboundAddress(), 5000);
      trickle(s.getOutputStream());
      sockets.add(s);
    }

    assertAllClosed("outbound, headers trickled");
  }

  @Test
  void inbound_keepAliveConnectionIdleAfterAResponse_isClosedAfterTheIdleTimeout() throws Exception {
    try (TlsClient tls = TlsClient.connect(proxy.inboundAddress().getPort(), client, root)) {
      assertThat(tls.get("/first")).startsWith("200");
      long start = System.nanoTime();

      assertThat(closedByServer(tls.socket())).isTrue();
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println("idle keep-alive connection closed after " + waited + " ms (idle timeout 2000 ms)");
      assertThat(waited).isGreaterThanOrEqualTo(1500);
    }
  }

  @Test
  void inbound_oversizedHeaders_get400_andOversizedBody_gets413() throws Exception {
    String bigHeader = rawExchange(proxy.inboundAddress(),
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n");
    String bigBody = rawExchange(proxy.inboundAddress(),
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + (17 * 1024 * 1024) + "\r\n\r\n");
    System.out.println("64 KiB header: " + bigHeader + "; 17 MiB body: " + bigBody);

    assertThat(bigHeader).matches("HTTP/1\\.1 (400|431)");
    assertThat(bigBody).isEqualTo("HTTP/1.1 413");
    assertThat(plainGet(proxy.inboundAddress())).isEqualTo(200);
  }

  @Test
  void adminEndpoints_areServedOnTheAdminPortOnly() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String path : List.of("/stats/prometheus", "/metrics", "/config", "/healthz/ready")) {
      HttpResponse<String> inbound = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + proxy.inboundAddress().getPort() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      // PERMISSIVE inbound passes the request to the app, which answers with its own name.
      assertThat(inbound.body()).as(path + " on the inbound port").startsWith("server GET " + path)
          .doesNotContain("# TYPE");
      String outbound = rawExchange(proxy.outboundAddress(),
          "GET " + path + " HTTP/1.1\r\nHost: nowhere.invalid\r\nConnection: close\r\n\r\n");
      assertThat(outbound).as(path + " on the outbound port").doesNotStartWith("HTTP/1.1 200");
    }
    HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + proxy.adminAddress().getPort() + "/stats/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.body()).contains("# TYPE");
  }

  /** Writes one byte of a never-ending request head every 200 ms until the server closes. */
  private void trickle(OutputStream out) {
    byte[] head = "GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
    int[] next = {0};
    drip.scheduleAtFixedRate(() -> {
      try {
        out.write(next[0] < head.length ? head[next[0]++] : 'a');
        out.flush();
      } catch (IOException closed) {
        throw new IllegalStateException("closed by the server", closed);
      }
    }, 0, 200, TimeUnit.MILLISECONDS);
  }

  private void assertAllClosed(String what) throws IOException {
    long start = System.nanoTime();
    for (Socket s : sockets) {
      assertThat(closedByServer(s)).as("%s: closed within %s", what, CLOSED_WITHIN).isTrue();
    }
    System.out.printf("%s: %d connections closed by the proxy within %d ms of the check%n", what, sockets.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  private static boolean closedByServer(Socket s) throws IOException {
    s.setSoTimeout((int) CLOSED_WITHIN.toMillis());
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever the server says before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException | javax.net.ssl.SSLException e) {
      return true;
    }
  }

  private static int plainGet(InetSocketAddress address) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/normal"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Sends {@code request} on a fresh connection and returns the status line's first 12 characters. */
  private static String rawExchange(InetSocketAddress address, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(address, 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    }
  }
}
