package dev.meshid.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.Route;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Processes;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import dev.meshid.proxy.testing.TlsClient;
import dev.meshid.sds.secret.TrustBundle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A root rotation as the proxy sees it: {@code ROOTCA} with two roots is the whole trust-anchor set, inbound
 * and outbound, for certificates from either root; a later {@code ROOTCA} push applies to new handshakes
 * while connections already open keep working.
 */
class TwoRootsTrustTest {
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  private final TestPki.Issued rootA = Svid.root("root A");
  private final TestPki.Issued rootB = Svid.root("root B");

  private static TrustBundle bundle(TestPki.Issued... roots) {
    return new TrustBundle(Pem.write(java.util.Arrays.stream(roots).map(TestPki.Issued::cert).toList())
        .getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void inbound_withBothRoots_acceptsClientsFromEitherRoot_andANewBundleAppliesToNewHandshakesOnly()
      throws Exception {
    Svid detailsFromA = Svid.issue(rootA, DETAILS);
    Svid clientA = Svid.issue(rootA, PRODUCTPAGE);
    Svid clientB = Svid.issue(rootB, PRODUCTPAGE);
    try (Agent agent = Agent.serving(detailsFromA, bundle(rootA, rootB));
        TestApp app = TestApp.start("details");
        ProxyServer proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), null).build())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
      int port = proxy.inboundAddress().getPort();
      assertThat(proxy.tls().current().orElseThrow().roots()).containsExactly(rootA.cert(), rootB.cert());

      try (TlsClient fromA = TlsClient.connect(port, clientA, rootA);
          TlsClient fromB = TlsClient.connect(port, clientB, rootA)) {
        assertThat(fromA.get("/a")).startsWith("200 details GET /a");
        assertThat(fromB.get("/b")).startsWith("200 details GET /b");

        Svid detailsFromB = Svid.issue(rootB, DETAILS);
        agent.push(detailsFromB.secret(), bundle(rootB));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().current().orElseThrow().roots()
            .equals(List.of(rootB.cert())));

        assertThat(fromA.get("/a-again")).as("a connection opened under the old bundle keeps working")
            .startsWith("200 details GET /a-again");
        assertThatThrownBy(() -> {
          try (TlsClient late = TlsClient.connect(port, clientA, rootB)) {
            late.get("/late");
          }
        }).as("a new handshake with a certificate from the removed root").isInstanceOf(Exception.class);
        try (TlsClient fresh = TlsClient.connect(port, clientB, rootB)) {
          assertThat(fresh.serverSerial()).isEqualTo(detailsFromB.serial());
          assertThat(fresh.get("/fresh")).startsWith("200 details GET /fresh");
        }
      }
    }
  }

  @Test
  void outbound_withBothRoots_reachesAPeerFromTheOtherRoot_andCurlWithBothRootsTrustsIt() {
    try (Agent detailsAgent = Agent.serving(Svid.issue(rootA, DETAILS), bundle(rootA, rootB));
        Agent productpageAgent = Agent.serving(Svid.issue(rootB, PRODUCTPAGE), bundle(rootB, rootA));
        TestApp app = TestApp.start("details");
        ProxyServer details = Proxies.start(Proxies.config(detailsAgent.socket(), app.address(), null).build())) {
      String inbound = "127.0.0.1:" + details.inboundAddress().getPort();
      try (ProxyServer productpage = Proxies.start(Proxies.config(productpageAgent.socket(), "127.0.0.1:9", null)
          .routes(List.of(Route.parse("details=" + inbound + "," + DETAILS))).outboundKeepAlive(false).build())) {
        await().atMost(Duration.ofSeconds(10)).until(() -> details.tls().ready() && productpage.tls().ready());

        Processes.Result r = Processes.curl("-H", "Host: details",
            "http://127.0.0.1:" + productpage.outboundAddress().getPort() + "/details/0");

        assertThat(r.output()).as("B-issued client -> A-issued server, each trusting both roots")
            .endsWith("HTTP 200").startsWith("details GET /details/0 xfcc=By=" + DETAILS)
            .contains(";URI=" + PRODUCTPAGE);
      }
    }
  }
}
