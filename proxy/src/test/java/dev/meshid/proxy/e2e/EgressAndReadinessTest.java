package dev.meshid.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.TestPki;
import dev.meshid.policies.OutboundTrafficPolicy;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.Route;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Processes;
import dev.meshid.proxy.testing.Processes.Result;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sidecar egress with REGISTRY_ONLY, ALLOW_ANY passthrough, and readiness before the first certificate. */
class EgressAndReadinessTest {
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  @TempDir
  Path dir;

  @Test
  void registryOnly_hostOutsideTheEgressList_gets502_andListedHostsPass() throws Exception {
    TestPki.Issued root = Svid.root("mesh root");
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("sidecar.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: default}
        spec:
          egress:
          - hosts: ["./*", "istio-system/*"]
        """);
    try (Agent agentA = Agent.serving(Svid.issue(root, PRODUCTPAGE), Svid.bundle(root));
        Agent agentB = Agent.serving(Svid.issue(root, DETAILS), Svid.bundle(root));
        TestApp details = TestApp.start("details");
        TestApp outside = TestApp.start("outside");
        ProxyServer b = Proxies.start(Proxies.config(agentB.socket(), details.address(), null).build())) {
      String routeB = "details=127.0.0.1:" + b.inboundAddress().getPort() + "," + DETAILS;
      try (ProxyServer a = Proxies.start(Proxies.config(agentA.socket(), "127.0.0.1:9", null).policyDir(policies)
              .routes(List.of(Route.parse(routeB))).outboundTrafficPolicy(OutboundTrafficPolicy.REGISTRY_ONLY).build());
          ProxyServer open = Proxies.start(Proxies.config(agentA.socket(), "127.0.0.1:9", null)
              .routes(List.of(Route.parse(routeB))).build())) {
        await().atMost(Duration.ofSeconds(10)).until(() -> a.tls().ready() && b.tls().ready() && open.tls().ready());
        String viaA = "http://127.0.0.1:" + a.outboundAddress().getPort() + "/x";
        String viaOpen = "http://127.0.0.1:" + open.outboundAddress().getPort() + "/x";

        Result listed = Processes.curl("-H", "Host: details", viaA);
        Result unlisted = Processes.curl("-H", "Host: " + outside.address(), viaA);
        Result passthrough = Processes.curl("-H", "Host: " + outside.address(), viaOpen);

        assertThat(listed.output()).startsWith("details GET /x").endsWith("HTTP 200");
        assertThat(unlisted.output()).endsWith("HTTP 502").contains("egress");
        assertThat(outside.seen()).hasSize(1);
        assertThat(passthrough.output()).isEqualTo("outside GET /x xfcc=-\nHTTP 200");
      }
    }
  }

  @Test
  void beforeTheFirstCertificate_notReady_andTlsIsRefused_thenReadyAfterThePush() throws Exception {
    TestPki.Issued root = Svid.root("mesh root");
    Svid.Files2 client = Svid.issue(root, PRODUCTPAGE).writeTo(dir, "client");
    Path ca = Svid.writeRoot(root, dir, "root");
    try (Agent agent = Agent.start();
        TestApp app = TestApp.start("details");
        ProxyServer proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), null).build())) {
      int port = proxy.inboundAddress().getPort();
      String ready = "http://127.0.0.1:" + proxy.adminAddress().getPort() + "/healthz/ready";
      String[] mtls = {"--resolve", "localhost:" + port + ":127.0.0.1", "--cacert", ca.toString(), "--cert",
          client.cert().toString(), "--key", client.key().toString(), "https://localhost:" + port + "/r"};

      assertThat(Processes.curl(ready).output()).startsWith("not ready").endsWith("HTTP 503");
      assertThat(Processes.curl(mtls).output()).doesNotContain("HTTP 200");

      agent.push(Svid.issue(root, DETAILS).secret(), Svid.bundle(root));

      await().atMost(Duration.ofSeconds(10)).until(() -> Processes.curl(ready).output().endsWith("HTTP 200"));
      assertThat(Processes.curl(mtls).output()).startsWith("details GET /r").endsWith("HTTP 200");
    }
  }
}
