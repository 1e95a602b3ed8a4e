package dev.meshid.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Processes;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import dev.meshid.proxy.testing.TlsClient;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inbound HTTP/2 with real clients: curl over mTLS (ALPN h2) and with prior knowledge on plaintext (one
 * PERMISSIVE port serves both), several streams on one connection with one denied, and Java's HttpClient.
 */
class Http2InboundTest {
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
  static final String APP_BODY_WITH_XFCC = "details GET %s xfcc=By=" + DETAILS + ";Hash=";

  @TempDir
  static Path dir;

  static TestPki.Issued root;
  static Svid clientSvid;
  static Svid.Files2 client;
  static Path ca;
  static Path accessLog;
  static Agent agent;
  static TestApp app;
  static ProxyServer proxy;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    root = Svid.root("mesh root");
    clientSvid = Svid.issue(root, PRODUCTPAGE);
    client = clientSvid.writeTo(dir, "productpage");
    ca = Svid.writeRoot(root, dir, "root");
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("deny-ping.yaml"), """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-ping, namespace: default}
        spec:
          action: DENY
          rules:
          - to:
            - operation: {paths: ["/ping"], methods: ["GET"], hosts: ["localhost*", "127.0.0.1*"]}
        """);
    agent = Agent.serving(Svid.issue(root, DETAILS), Svid.bundle(root));
    app = TestApp.start("details");
    accessLog = dir.resolve("access.log");
    proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), accessLog).policyDir(policies).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
    port = proxy.inboundAddress().getPort();
  }

  @AfterAll
  static void stop() {
    proxy.close();
    app.close();
    agent.close();
  }

  private static Processes.Result curl(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    cmd.addAll(args);
    return Processes.run(cmd, null, Duration.ofSeconds(15));
  }

  private static List<String> mtls(String... more) {
    List<String> args = new ArrayList<>(List.of("--resolve", "localhost:" + port + ":127.0.0.1", "--cacert",
        ca.toString(), "--cert", client.cert().toString(), "--key", client.key().toString()));
    args.addAll(List.of(more));
    return args;
  }

  private static double handshakes() {
    Counter c = proxy.metrics().registry().find("meshid.proxy.tls.handshakes").tag("direction", "inbound")
        .tag("result", "success").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void curlHttp2OverMtls_negotiatesH2_andTheAppGetsTheRequestWithXfcc() {
    Processes.Result r = curl(mtls("--http2", "-w", "\n%{http_version} %{http_code}",
        "-H", "X-Forwarded-Client-Cert: URI=spiffe://forged", "https://localhost:" + port + "/details/1?q=2"));

    assertThat(r.output()).startsWith(APP_BODY_WITH_XFCC.formatted("/details/1?q=2"))
        .endsWith(";URI=" + PRODUCTPAGE + "\n2 200");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(accessLog))
        .contains("\"GET /details/1?q=2 HTTP/2\" 200 - 0 ").contains("\"localhost:" + port + "\" \"" + app.address()));
  }

  @Test
  void curlHttp1OverMtls_stillGetsHttp1() {
    Processes.Result r = curl(mtls("--http1.1", "-w", "\n%{http_version} %{http_code}",
        "https://localhost:" + port + "/one"));

    assertThat(r.output()).startsWith(APP_BODY_WITH_XFCC.formatted("/one")).endsWith("\n1.1 200");
  }

  @Test
  void parallelStreamsOnOneMtlsConnection_onlyTheDeniedOneGets403() throws Exception {
    double before = handshakes();
    List<String> args = mtls("--http2", "--parallel", "--parallel-max", "8", "--no-progress-meter", "-w",
        "%{url_effective} %{http_version} %{http_code} %{num_connects}\n");
    List<String> paths = List.of("/a", "/ping", "/b", "/c", "/d");
    for (String p : paths) {
      args.addAll(List.of("-o", dir.resolve("out" + p.substring(1)).toString(), "https://localhost:" + port + p));
    }

    Processes.Result r = curl(args);

    String base = "https://localhost:" + port;
    assertThat(r.output().lines()).containsExactlyInAnyOrder(base + "/a 2 200 1", base + "/ping 2 403 0",
        base + "/b 2 200 0", base + "/c 2 200 0", base + "/d 2 200 0");
    assertThat(Files.readString(dir.resolve("outping"))).isEqualTo("RBAC: access denied");
    assertThat(Files.readString(dir.resolve("outc"))).startsWith(APP_BODY_WITH_XFCC.formatted("/c"));
    assertThat(handshakes() - before).isEqualTo(1.0);
    assertThat(app.seen()).noneMatch(s -> s.path().equals("/ping"));
  }

  // One connection per curl run: curl 7.88's prior-knowledge mode breaks when it reuses a connection for a
  // second transfer (curl/curl#10634, fixed after 7.88.1), so concurrency is shown over TLS above and below.
  @Test
  void priorKnowledgeOnPlaintext_isServedAsHttp2_andDeniedLikeHttp1() throws Exception {
    String base = "http://127.0.0.1:" + port;
    List<String> common = List.of("--http2-prior-knowledge", "-H", "X-Forwarded-Client-Cert: URI=spiffe://forged",
        "-w", "\n%{http_version} %{http_code}");

    Processes.Result get = curl(concat(common, base + "/x"));
    Processes.Result ping = curl(concat(common, base + "/ping"));
    Processes.Result post = curl(concat(common, "-d", "body=1", base + "/form"));
    Processes.Result http1 = curl(List.of("-w", "\n%{http_version} %{http_code}", base + "/ping"));

    assertThat(get.output()).isEqualTo("details GET /x xfcc=-\n2 200");
    assertThat(ping.output()).isEqualTo("RBAC: access denied\n2 403");
    assertThat(post.output()).isEqualTo("details POST /form xfcc=-\n2 200");
    assertThat(http1.output()).isEqualTo("RBAC: access denied\n1.1 403");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(accessLog))
        .contains("\"GET /ping HTTP/2\" 403 - 0 19 ").contains("\"POST /form HTTP/2\" 200 - 6 ")
        .contains("\"GET /ping HTTP/1.1\" 403 - 0 19 "));
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  void javaHttpClient_http2OverMtls_concurrentStreamsOnOneConnection() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
        .sslContext(TlsClient.sslContext(clientSvid, root)).connectTimeout(Duration.ofSeconds(5)).build();
    String base = "https://localhost:" + port;
    double before = handshakes();
    HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base + "/warm")).build(),
        HttpResponse.BodyHandlers.ofString());

    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (String p : List.of("/j1", "/ping", "/j2", "/j3")) {
      inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + p)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<String> results = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      HttpResponse<String> resp = f.get();
      results.add(resp.version() + " " + resp.statusCode() + " " + resp.body().split(" xfcc=")[0]);
    }

    assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(first.body()).startsWith(APP_BODY_WITH_XFCC.formatted("/warm")).endsWith(";URI=" + PRODUCTPAGE);
    assertThat(results).containsExactly("HTTP_2 200 details GET /j1", "HTTP_2 403 RBAC: access denied",
        "HTTP_2 200 details GET /j2", "HTTP_2 200 details GET /j3");
    assertThat(handshakes() - before).isEqualTo(1.0);
  }

  @Test
  void http2Off_tlsOffersNoH2_andThePrefaceIsNotHttp2() {
    ProxyServer h1 = Proxies.start(Proxies.config(agent.socket(), app.address(), null).http2(false).build());
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> h1.tls().ready());
      int p = h1.inboundAddress().getPort();

      Processes.Result tls = curl(List.of("--resolve", "localhost:" + p + ":127.0.0.1", "--cacert", ca.toString(),
          "--cert", client.cert().toString(), "--key", client.key().toString(), "--http2", "-w",
          "\n%{http_version} %{http_code}", "https://localhost:" + p + "/h1"));
      Processes.Result prior = curl(List.of("--http2-prior-knowledge", "-w", "\n%{http_version} %{http_code}",
          "http://127.0.0.1:" + p + "/h1"));

      assertThat(tls.output()).startsWith(APP_BODY_WITH_XFCC.formatted("/h1")).endsWith("\n1.1 200");
      assertThat(prior.output()).doesNotContain("details GET").doesNotEndWith(" 200");
    } finally {
      h1.close();
    }
  }
}
