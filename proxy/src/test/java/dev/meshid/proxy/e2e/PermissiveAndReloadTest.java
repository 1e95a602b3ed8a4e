package dev.meshid.proxy.e2e;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PERMISSIVE (no policy: Istio's default) on one port, and policy files changed while running. */
class PermissiveAndReloadTest {
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  @TempDir
  Path dir;

  Agent agent;
  TestApp app;
  ProxyServer proxy;
  Path policies;
  Svid.Files2 client;
  Path ca;

  @BeforeEach
  void start() throws Exception {
    TestPki.Issued root = Svid.root("mesh root");
    client = Svid.issue(root, PRODUCTPAGE).writeTo(dir, "client");
    ca = Svid.writeRoot(root, dir, "root");
    policies = Files.createDirectories(dir.resolve("policies"));
    agent = Agent.serving(Svid.issue(root, DETAILS), Svid.bundle(root));
    app = TestApp.start("details");
    proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), null).policyDir(policies).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
  }

  @AfterEach
  void stop() {
    proxy.close();
    app.close();
    agent.close();
  }

  private Result plaintext(String path) {
    return Processes.curl("-H", "X-Forwarded-Client-Cert: URI=spiffe://forged",
        "http://127.0.0.1:" + proxy.inboundAddress().getPort() + path);
  }

  private Result mtls(String path) {
    int port = proxy.inboundAddress().getPort();
    return Processes.curl("--resolve", "localhost:" + port + ":127.0.0.1", "--cacert", ca.toString(),
        "--cert", client.cert().toString(), "--key", client.key().toString(), "https://localhost:" + port + path);
  }

  @Test
  void permissive_plaintextAndMtlsBothWorkOnOnePort() {
    Result plain = plaintext("/a");
    Result tls = mtls("/b");

    assertThat(plain.output()).isEqualTo("details GET /a xfcc=-\nHTTP 200");
    assertThat(tls.output()).startsWith("details GET /b xfcc=By=" + DETAILS).endsWith("URI=" + PRODUCTPAGE + "\nHTTP 200");
  }

  @Test
  void policyFileAdded_isAppliedWithoutRestart_andAnInvalidOneKeepsTheLastGood() throws Exception {
    assertThat(mtls("/ping").output()).endsWith("HTTP 200");

    Files.writeString(policies.resolve("deny-ping.yaml"), """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-ping, namespace: default}
        spec:
          action: DENY
          rules:
          - to:
            - operation: {paths: ["/ping"]}
        """);
    await().atMost(Duration.ofSeconds(10)).until(() -> mtls("/ping").output().endsWith("HTTP 403"));
    assertThat(mtls("/ping").output()).isEqualTo("RBAC: access denied\nHTTP 403");
    assertThat(mtls("/other").output()).endsWith("HTTP 200");

    Files.writeString(policies.resolve("broken.yaml"), """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: broken, namespace: default}
        spec: {action: SOMETIMES}
        """);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.policyWatcher().orElseThrow().rejected() >= 1);
    assertThat(proxy.policyWatcher().orElseThrow().lastError()).contains("broken.yaml").contains("action");
    assertThat(mtls("/ping").output()).endsWith("HTTP 403");

    Files.delete(policies.resolve("broken.yaml"));
    Files.writeString(policies.resolve("strict.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: default}
        spec: {mtls: {mode: STRICT}}
        """);
    await().atMost(Duration.ofSeconds(10)).until(() -> !plaintext("/a").output().endsWith("HTTP 200"));
    assertThat(mtls("/other").output()).endsWith("HTTP 200");
  }

  @Test
  void policyFileRemoved_liftsTheDenial() throws Exception {
    Path deny = policies.resolve("deny-all.yaml");
    Files.writeString(deny, """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-all, namespace: default}
        spec: {}
        """);
    await().atMost(Duration.ofSeconds(10)).until(() -> plaintext("/x").output().endsWith("HTTP 403"));

    Files.delete(deny);

    await().atMost(Duration.ofSeconds(10)).until(() -> plaintext("/x").output().endsWith("HTTP 200"));
  }
}
