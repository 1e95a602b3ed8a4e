package dev.meshid.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import dev.meshid.proxy.testing.TlsClient;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A new {@code default} pushed over SDS while a keep-alive connection is open. */
class RotationWithOpenKeepAliveTest {
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  @Test
  void rotation_newConnectionsGetTheNewCertificate_andTheOpenOneKeepsWorking() throws Exception {
    TestPki.Issued root = Svid.root("mesh root");
    Svid first = Svid.issue(root, DETAILS);
    Svid second = Svid.issue(root, DETAILS);
    Svid client = Svid.issue(root, PRODUCTPAGE);
    try (Agent agent = Agent.serving(first, Svid.bundle(root));
        TestApp app = TestApp.start("details");
        ProxyServer proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), null).build())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
      int port = proxy.inboundAddress().getPort();

      try (TlsClient longLived = TlsClient.connect(port, client, root)) {
        assertThat(longLived.serverSerial()).isEqualTo(first.serial());
        assertThat(longLived.get("/before")).startsWith("200 details GET /before");

        agent.rotate(second.secret());
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().current().orElseThrow().leaf()
            .getSerialNumber().equals(second.serial()));

        BigInteger newSerial;
        try (TlsClient fresh = TlsClient.connect(port, client, root)) {
          newSerial = fresh.serverSerial();
          assertThat(fresh.get("/fresh")).startsWith("200 details GET /fresh");
        }
        assertThat(newSerial).isEqualTo(second.serial()).isNotEqualTo(first.serial());
        assertThat(longLived.get("/after")).startsWith("200 details GET /after");
        assertThat(longLived.serverSerial()).isEqualTo(first.serial());
      }
    }
  }
}
