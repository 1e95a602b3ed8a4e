package dev.meshid.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code meshid proxy}: bad values exit 2 naming the setting; --print-config shows the effective values. */
class ProxyCommandTest {
  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ProxyCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--inbound-addr, nowhere",
      "--app-addr, 127.0.0.1:99999",
      "--outbound-addr, :x",
      "--admin-addr, localhost",
      "--inbound-protocol, udp",
      "--outbound-traffic-policy, SOMETIMES",
      "--route, details",
      "--route, 'details=127.0.0.1:1,not-a-spiffe-id'",
      "--labels, app",
      "--namespace, Not_A_Namespace",
      "--tls-min-version, 1.1",
      "--tls-engine, rustls",
      "--io-threads, many",
      "--access-log, ''",
      "--http2, maybe",
      "--policy-source, etcd",
      "--kubeconfig, /nonexistent/kubeconfig",
  })
  void badValue_exits2_namingTheSetting(String flag, String value) {
    Run r = run(flag, value, "--print-config");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(flag);
  }

  @Test
  void printConfig_showsDefaultsAndGivenValues_andExits0() {
    Run r = run("--print-config", "--route", "details=127.0.0.1:15006,spiffe://cluster.local/ns/default/sa/details",
        "--labels", "app=details,version=v1", "--outbound-traffic-policy", "registry_only");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("inbound-addr: 0.0.0.0:15006")
        .contains("app-addr: 127.0.0.1:8080")
        .contains("outbound-addr: 127.0.0.1:15001")
        .contains("admin-addr: 127.0.0.1:15021")
        .contains("route: details=127.0.0.1:15006,spiffe://cluster.local/ns/default/sa/details")
        .contains("labels: app=details,version=v1")
        .contains("outbound-traffic-policy: REGISTRY_ONLY")
        .contains("tls-min-version: TLSv1.3")
        .contains("http2: true")
        .contains("policy-source: file");
  }

  @Test
  void printConfig_kubernetesPolicySourceAndHttp2Off_areShown() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");

    Run r = run("--print-config", "--policy-source", "kubernetes", "--kubeconfig", kubeconfig.toString(),
        "--http2", "false");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("policy-source: kubernetes").contains("kubeconfig: " + kubeconfig)
        .contains("http2: false");
  }

  @Test
  void kubernetesSourceWithUnreachableApiServer_exits2_namingThePolicySource() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
        users: [{name: u, user: {}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        current-context: c
        """);

    Run r = run("--policy-source", "kubernetes", "--kubeconfig", kubeconfig.toString(), "--inbound-addr",
        "127.0.0.1:0", "--outbound-addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--sds-socket",
        dir.resolve("none.sock").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--policy-source").contains("http://127.0.0.1:1");
  }

  @Test
  void policyDirWithKubernetesSource_exits2_namingBoth() {
    Run r = run("--print-config", "--policy-source", "kubernetes", "--policy-dir", dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--policy-dir").contains("--policy-source kubernetes");
  }

  @Test
  void invalidPolicyFile_exits2_namingThePolicyDirAndTheFile() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: bad, namespace: default}
        spec: {action: CUSTOM}
        """);

    Run r = run("--policy-dir", dir.toString(), "--inbound-addr", "127.0.0.1:0", "--outbound-addr", "127.0.0.1:0",
        "--admin-addr", "127.0.0.1:0", "--sds-socket", dir.resolve("none.sock").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--policy-dir").contains("bad.yaml");
  }

  @Test
  void missingPolicyDir_exits2() {
    Run r = run("--policy-dir", dir.resolve("absent").toString(), "--print-config");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--policy-dir").contains("does not exist");
  }
}
