package dev.meshid.proxy.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STRICT inbound mTLS against real curl and openssl s_client, with certificates from a real SDS server. */
class StrictInboundWithCurlTest {
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";

  @TempDir
  static Path dir;

  static TestPki.Issued root;
  static Svid.Files2 client;
  static Svid.Files2 rogueClient;
  static Path ca;
  static Agent agent;
  static TestApp app;
  static ProxyServer proxy;
  static String url;

  @BeforeAll
  static void start() throws IOException {
    root = Svid.root("mesh root");
    TestPki.Issued rogueRoot = Svid.root("rogue root");
    client = Svid.issue(root, PRODUCTPAGE).writeTo(dir, "productpage");
    rogueClient = Svid.issue(rogueRoot, PRODUCTPAGE).writeTo(dir, "rogue");
    ca = Svid.writeRoot(root, dir, "root");
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("strict.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: istio-system
        spec:
          mtls:
            mode: STRICT
        """);
    agent = Agent.serving(Svid.issue(root, DETAILS), Svid.bundle(root));
    app = TestApp.start("details");
    proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), dir.resolve("access.log"))
        .policyDir(policies).labels(java.util.Map.of("app", "details")).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
    url = "https://localhost:" + proxy.inboundAddress().getPort() + "/details/0";
  }

  @AfterAll
  static void stop() {
    proxy.close();
    app.close();
    agent.close();
  }

  private static List<String> resolve() {
    return List.of("--resolve", "localhost:" + proxy.inboundAddress().getPort() + ":127.0.0.1");
  }

  private static Result curl(String... args) {
    List<String> all = new java.util.ArrayList<>(resolve());
    all.addAll(List.of(args));
    return Processes.curl(all.toArray(new String[0]));
  }

  @Test
  void curlWithSvid_isAccepted_andTheAppSeesThePeerInXfcc() {
    Result r = curl("--cacert", ca.toString(), "--cert", client.cert().toString(), "--key", client.key().toString(),
        url);

    assertThat(r.output()).endsWith("HTTP 200");
    assertThat(r.output()).contains("details GET /details/0")
        .contains("xfcc=By=" + DETAILS + ";Hash=")
        .contains(";URI=" + PRODUCTPAGE);
  }

  @Test
  void forgedXfccFromTheClient_isReplacedByTheProxy() {
    Result r = curl("--cacert", ca.toString(), "--cert", client.cert().toString(), "--key", client.key().toString(),
        "-H", "X-Forwarded-Client-Cert: By=spiffe://evil/x;URI=spiffe://cluster.local/ns/default/sa/admin", url);

    assertThat(r.output()).endsWith("HTTP 200").doesNotContain("spiffe://evil").doesNotContain("sa/admin")
        .contains(";URI=" + PRODUCTPAGE);
  }

  @Test
  void curlWithoutCertificate_isRefused() {
    int before = app.seen().size();

    Result r = curl("--cacert", ca.toString(), url);

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).doesNotContain("HTTP 200");
    assertThat(app.seen()).hasSize(before);
  }

  @Test
  void curlWithCertificateFromAnotherRoot_isRefused() {
    Result r = curl("--cacert", ca.toString(), "--cert", rogueClient.cert().toString(), "--key",
        rogueClient.key().toString(), url);

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).doesNotContain("HTTP 200");
  }

  @Test
  void plaintextCurl_isRefusedInStrictMode() {
    Result r = Processes.curl("http://127.0.0.1:" + proxy.inboundAddress().getPort() + "/details/0");

    assertThat(r.output()).doesNotContain("HTTP 200").doesNotContain("details GET");
  }

  @Test
  void opensslSClientWithoutCertificate_isRefused() {
    Result r = Processes.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + proxy.inboundAddress().getPort(),
        "-CAfile", ca.toString(), "-tls1_3", "-ign_eof"),
        "GET /details/0 HTTP/1.1\r\nHost: details\r\nConnection: close\r\n\r\n", Duration.ofSeconds(15));

    assertThat(r.output()).doesNotContain("HTTP/1.1 200").containsIgnoringCase("certificate required");
  }

  @Test
  void opensslSClientWithSvid_getsThroughAndSeesTheProxysSpiffeId() {
    Result r = Processes.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + proxy.inboundAddress().getPort(),
        "-CAfile", ca.toString(), "-cert", client.cert().toString(), "-key", client.key().toString(), "-ign_eof"),
        "GET /details/0 HTTP/1.1\r\nHost: details\r\nConnection: close\r\n\r\n", Duration.ofSeconds(15));

    assertThat(r.output()).contains("HTTP/1.1 200").contains("Verify return code: 0 (ok)")
        .containsPattern("Protocol\\s*:\\s*TLSv1\\.3");
  }
}
