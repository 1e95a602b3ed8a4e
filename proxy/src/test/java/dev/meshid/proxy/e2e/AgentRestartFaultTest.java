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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fault: the node agent restarts while the proxy streams SDS from it. While the agent is gone the proxy keeps its
 * certificate (new handshakes still work) and an open connection keeps working; its SDS client reconnects to the
 * agent's new process on the same socket and takes the new agent's secrets, without a proxy restart.
 */
class AgentRestartFaultTest {
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  @Test
  void agentRestart_proxyKeepsServingReconnectsAndTakesTheNewSecrets_openConnectionSurvives() throws Exception {
    TestPki.Issued root = Svid.root("mesh root");
    Svid first = Svid.issue(root, DETAILS);
    Svid second = Svid.issue(root, DETAILS);
    Svid client = Svid.issue(root, PRODUCTPAGE);
    Agent agent = Agent.serving(first, Svid.bundle(root));
    Path socket = agent.socket();
    try (TestApp app = TestApp.start("details");
        ProxyServer proxy = Proxies.start(Proxies.config(socket, app.address(), null).build())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
      int port = proxy.inboundAddress().getPort();

      try (TlsClient longLived = TlsClient.connect(port, client, root)) {
        assertThat(longLived.get("/before")).startsWith("200 details GET /before");

        agent.close();
        assertThat(Files.exists(socket)).isFalse();
        // The agent is gone: the proxy still holds and serves its certificate.
        BigInteger whileDown;
        String whileDownAnswer;
        try (TlsClient fresh = TlsClient.connect(port, client, root)) {
          whileDown = fresh.serverSerial();
          whileDownAnswer = fresh.get("/agent-down");
        }
        String openWhileDown = longLived.get("/open-while-down");

        long restarted = System.nanoTime();
        agent = Agent.startAt(socket);
        agent.push(second.secret(), Svid.bundle(root));
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.tls().current().orElseThrow().leaf()
            .getSerialNumber().equals(second.serial()));
        long reconnectMillis = (System.nanoTime() - restarted) / 1_000_000;

        BigInteger afterRestart;
        try (TlsClient fresh = TlsClient.connect(port, client, root)) {
          afterRestart = fresh.serverSerial();
          assertThat(fresh.get("/after-restart")).startsWith("200 details GET /after-restart");
        }
        String openAfter = longLived.get("/open-after");
        System.out.printf("FAULT agent-restart: while the agent was down new handshakes got the held certificate=%s, "
            + "open connection answered=%s; after the restart the proxy took the new certificate in %d ms, "
            + "new handshakes got it=%s, the connection opened before the restart still answers=%s%n",
            whileDown.equals(first.serial()), openWhileDown.startsWith("200"), reconnectMillis,
            afterRestart.equals(second.serial()), openAfter.startsWith("200"));

        assertThat(whileDown).isEqualTo(first.serial());
        assertThat(whileDownAnswer).startsWith("200 details GET /agent-down");
        assertThat(openWhileDown).startsWith("200 details GET /open-while-down");
        assertThat(afterRestart).isEqualTo(second.serial());
        assertThat(openAfter).startsWith("200 details GET /open-after");
        assertThat(longLived.serverSerial()).isEqualTo(first.serial());
      }
    } finally {
      agent.close();
    }
  }
}
