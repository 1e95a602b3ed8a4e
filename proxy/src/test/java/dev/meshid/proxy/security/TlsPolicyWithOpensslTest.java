package dev.meshid.proxy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.pki.testing.TlsProbe;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.TlsEngine;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The inbound mTLS listener against real {@code openssl s_client}: TLS 1.0/1.1 and weak TLS 1.2 suites
 * (RSA key exchange, CBC, 3DES, RC4) refused, TLS 1.3 and TLS 1.2 ECDHE-GCM accepted, with both TLS engines
 * and both key types (an RSA key is where a default suite list would let CBC and RSA key exchange in).
 */
class TlsPolicyWithOpensslTest {
  static final String SERVER = "spiffe://cluster.local/ns/default/sa/server";
  static final String CLIENT = "spiffe://cluster.local/ns/default/sa/client";

  @TempDir
  static Path dir;

  static TestPki.Issued root;
  static List<String> clientArgs;
  static TestApp app;
  static Path policies;

  @BeforeAll
  static void start() throws Exception {
    root = Svid.root("tls policy root");
    Svid.Files2 client = Svid.issue(root, CLIENT).writeTo(dir, "client");
    clientArgs = List.of("-cert", client.cert().toString(), "-key", client.key().toString(),
        "-CAfile", Svid.writeRoot(root, dir, "root").toString());
    app = TestApp.start("server");
    policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("strict.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec: {mtls: {mode: STRICT}}
        """);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @ParameterizedTest(name = "{0} engine, {1} key")
  @CsvSource({"JDK, EC_P256", "JDK, RSA_2048", "OPENSSL, EC_P256", "OPENSSL, RSA_2048"})
  void inbound_tls12Allowed_refusesOldVersionsAndWeakSuites(TlsEngine engine, KeyAlgorithm key) {
    Svid server = new Svid(root.svid(SERVER).key(key).dnsSans("localhost").build());
    try (Agent agent = Agent.serving(server, Svid.bundle(root));
        ProxyServer proxy = start(agent, engine, "TLSv1.2")) {
      List<String> report = TlsProbe.assertModernOnly(proxy.inboundAddress(), clientArgs);

      System.out.println("inbound " + engine + " " + key + ":\n  " + String.join("\n  ", report));
      assertThat(report).anyMatch(line -> line.startsWith("-tls1_3: accepted"));
    }
  }

  @Test
  void inbound_defaultMinimumTls13_refusesEvenStrongTls12() {
    Svid server = new Svid(root.svid(SERVER).key(KeyAlgorithm.EC_P256).dnsSans("localhost").build());
    try (Agent agent = Agent.serving(server, Svid.bundle(root));
        ProxyServer proxy = start(agent, TlsEngine.AUTO, "TLSv1.3")) {
      TlsProbe.Handshake tls12 = TlsProbe.connect(proxy.inboundAddress(),
          concat(clientArgs, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"));
      TlsProbe.Handshake tls13 = TlsProbe.connect(proxy.inboundAddress(), concat(clientArgs, "-tls1_3"));

      assertThat(tls12.established()).as(tls12.output()).isFalse();
      assertThat(tls13.established()).as(tls13.output()).isTrue();
    }
  }

  private static ProxyServer start(Agent agent, TlsEngine engine, String minVersion) {
    ProxyServer proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), null)
        .policyDir(policies).labels(Map.of("app", "server")).tlsEngine(engine).tlsMinVersion(minVersion).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
    return proxy;
  }

  private static List<String> concat(List<String> a, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(more));
    all.addAll(a);
    return all;
  }
}
