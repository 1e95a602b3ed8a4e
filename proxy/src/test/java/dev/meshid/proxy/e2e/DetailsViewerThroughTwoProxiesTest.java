package dev.meshid.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.Route;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Processes;
import dev.meshid.proxy.testing.Processes.Result;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bookinfo's {@code details-viewer}: productpage's app (curl) -> outbound proxy A -> mTLS -> inbound proxy B
 * (STRICT, details-viewer AuthorizationPolicy) -> details app. Each proxy has its own agent on a Unix socket.
 */
class DetailsViewerThroughTwoProxiesTest {
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";

  @TempDir
  static Path dir;

  static Agent agentA;
  static Agent agentB;
  static TestApp details;
  static ProxyServer proxyA;
  static ProxyServer proxyB;
  static Path accessLogB;

  @BeforeAll
  static void start() throws IOException {
    TestPki.Issued root = Svid.root("mesh root");
    Path policies = Files.createDirectories(dir.resolve("policies-b"));
    Files.writeString(policies.resolve("strict.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec: {mtls: {mode: STRICT}}
        """);
    Files.writeString(policies.resolve("details-viewer.yaml"), """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: details-viewer
          namespace: default
        spec:
          selector:
            matchLabels:
              app: details
          action: ALLOW
          rules:
          - from:
            - source:
                principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]
            to:
            - operation:
                methods: ["GET"]
                paths: ["/details/*"]
        """);
    agentA = Agent.serving(Svid.issue(root, PRODUCTPAGE), Svid.bundle(root));
    agentB = Agent.serving(Svid.issue(root, DETAILS), Svid.bundle(root));
    details = TestApp.start("details");
    accessLogB = dir.resolve("b-access.log");
    proxyB = Proxies.start(Proxies.config(agentB.socket(), details.address(), accessLogB)
        .policyDir(policies).labels(Map.of("app", "details")).build());
    String inboundB = "127.0.0.1:" + proxyB.inboundAddress().getPort();
    proxyA = Proxies.start(Proxies.config(agentA.socket(), "127.0.0.1:9", null)
        .labels(Map.of("app", "productpage"))
        .routes(List.of(Route.parse("details=" + inboundB + "," + DETAILS),
            Route.parse("impostor=" + inboundB + ",spiffe://cluster.local/ns/default/sa/reviews")))
        .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxyA.tls().ready() && proxyB.tls().ready());
  }

  @AfterAll
  static void stop() {
    proxyA.close();
    proxyB.close();
    details.close();
    agentA.close();
    agentB.close();
  }

  private static Result viaA(String host, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("-H", "Host: " + host));
    all.addAll(List.of(args));
    return Processes.curl(all.toArray(new String[0]));
  }

  private static String outboundA(String path) {
    return "http://127.0.0.1:" + proxyA.outboundAddress().getPort() + path;
  }

  @Test
  void getDetails_isAllowed_andDetailsSeesProductpageAsPeer() {
    Result r = viaA("details", outboundA("/details/0"));

    assertThat(r.output()).endsWith("HTTP 200").startsWith("details GET /details/0 xfcc=By=" + DETAILS)
        .contains(";URI=" + PRODUCTPAGE);
  }

  @Test
  void postDetails_gets403RbacAccessDenied() {
    Result r = viaA("details", "-X", "POST", "-d", "x=1", outboundA("/details/0"));

    assertThat(r.output()).isEqualTo("RBAC: access denied\nHTTP 403");
  }

  @Test
  void getPing_gets403RbacAccessDenied() {
    Result r = viaA("details", outboundA("/ping"));

    assertThat(r.output()).isEqualTo("RBAC: access denied\nHTTP 403");
    assertThat(details.seen()).noneMatch(s -> s.path().equals("/ping"));
  }

  @Test
  void manyRequestsOnOneKeepAliveConnection_allSucceed() {
    String url = outboundA("/details/1");
    Result r = viaA("details", url, url, url, url, url);

    assertThat(r.output().split("HTTP 200", -1)).hasSize(6);
  }

  @Test
  void routeExpectingAnotherSpiffeId_isRefusedWith503() {
    Result r = viaA("impostor", outboundA("/details/0"));

    assertThat(r.output()).endsWith("HTTP 503").contains("expected spiffe://cluster.local/ns/default/sa/reviews");
  }

  @Test
  void accessLog_hasEnvoysDefaultFormat() throws IOException {
    viaA("details", "-A", "test-agent/1", outboundA("/details/7?x=1"));

    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(accessLogB)
        && Files.readString(accessLogB).contains("/details/7"));
    String line = Files.lines(accessLogB).filter(l -> l.contains("/details/7")).findFirst().orElseThrow();
    assertThat(line).matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] "
        + "\"GET /details/7\\?x=1 HTTP/1\\.1\" 200 - 0 \\d+ \\d+ \\d+ \"-\" \"test-agent/1\" \"-\" \"details\" "
        + "\"127\\.0\\.0\\.1:\\d+\"");
  }

  @Test
  void metrics_countDenialsByReason_andHandshakes() {
    viaA("details", outboundA("/ping"));

    Result r = Processes.curl("http://127.0.0.1:" + proxyB.adminAddress().getPort() + "/stats/prometheus");

    assertThat(r.output()).endsWith("HTTP 200")
        .containsPattern("meshid_proxy_authz_denials_total\\{direction=\"inbound\",reason=\"NO_ALLOW_MATCHED\"\\} [1-9]")
        .containsPattern("meshid_proxy_tls_handshakes_total\\{direction=\"inbound\",result=\"success\"\\} [1-9]")
        .containsPattern("meshid_proxy_certificate_expiry_seconds [1-9]");
    Result ready = Processes.curl("http://127.0.0.1:" + proxyB.adminAddress().getPort() + "/healthz/ready");
    assertThat(ready.output()).endsWith("HTTP 200");
  }
}
