package dev.meshid.proxy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.Route;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proxy's outbound mTLS origination against a real {@code openssl s_server} upstream that offers only one
 * protocol or suite: the proxy must refuse TLS 1.0/1.1 and weak TLS 1.2 suites (the request gets 503) and
 * connect over TLS 1.3 and TLS 1.2 ECDHE-GCM (the request gets s_server's 200).
 */
class OutboundTlsPolicyWithOpensslTest {
  static final String UPSTREAM = "spiffe://cluster.local/ns/default/sa/upstream";
  static final String SELF = "spiffe://cluster.local/ns/default/sa/client";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "upstream offers {0} {1}: {2}")
  @CsvSource({
      "-tls1_1, DEFAULT@SECLEVEL=0, 503",
      "-tls1, DEFAULT@SECLEVEL=0, 503",
      "-tls1_2, AES128-SHA@SECLEVEL=0, 503",
      "-tls1_2, AES256-GCM-SHA384@SECLEVEL=0, 503",
      "-tls1_2, ECDHE-RSA-AES128-SHA@SECLEVEL=0, 503",
      "-tls1_2, ECDHE-RSA-AES128-SHA256@SECLEVEL=0, 503",
      "-tls1_2, ECDHE-RSA-AES128-GCM-SHA256, 200",
      "-tls1_3, DEFAULT, 200"})
  void outbound_tls12Allowed_connectsOnlyWithModernProtocolsAndSuites(String version, String cipher, int expected)
      throws Exception {
    TestPki.Issued root = Svid.root("outbound policy root");
    Svid.Files2 upstream = new Svid(root.svid(UPSTREAM).key(KeyAlgorithm.RSA_2048).dnsSans("localhost").build())
        .writeTo(dir, "upstream");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of(OpenSsl.binary().toString(), "s_server", "-accept",
        "127.0.0.1:" + port, "-cert", upstream.cert().toString(), "-key", upstream.key().toString(), "-www",
        version, "-cipher", cipher));
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (Agent agent = Agent.serving(Svid.issue(root, SELF), Svid.bundle(root));
        ProxyServer proxy = Proxies.start(Proxies.config(agent.socket(), "127.0.0.1:9", null)
            .tlsMinVersion("TLSv1.2").routes(List.of(Route.parse("upstream=127.0.0.1:" + port + "," + UPSTREAM)))
            .build())) {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains("ACCEPT")) {
        // s_server prints ACCEPT once it listens
      }
      assertThat(line).as("s_server started").isNotNull();
      await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());

      int status;
      try (Socket s = new Socket("127.0.0.1", proxy.outboundAddress().getPort())) {
        s.setSoTimeout(20_000);
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: upstream\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        String statusLine = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        status = Integer.parseInt(statusLine.substring(9, 12));
      }

      System.out.println("outbound to an upstream offering " + version + " " + cipher + ": " + status);
      assertThat(status).isEqualTo(expected);
    } finally {
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
