package dev.meshid.proxy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.testing.TestPki;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.PolicySourceKind;
import dev.meshid.proxy.policy.KubernetesPolicies;
import dev.meshid.proxy.testing.Agent;
import dev.meshid.proxy.testing.Processes;
import dev.meshid.proxy.testing.Proxies;
import dev.meshid.proxy.testing.Svid;
import dev.meshid.proxy.testing.TestApp;
import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.AuthorizationPolicyBuilder;
import io.fabric8.istio.api.security.v1.PeerAuthenticationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --policy-source kubernetes} against fabric8's mock API server (CRUD mode, real watches, in its own
 * JVM): policies of the workload's and the root namespace are enforced, changed live, and a broken change is
 * rejected while the last good policy stays in force.
 */
class KubernetesPolicySourceE2ETest {
  static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  ForkedKubernetesMockServer server;
  KubernetesClient kube;
  Agent agent;
  TestApp app;
  ProxyServer proxy;
  Svid.Files2 client;
  Path ca;

  @BeforeEach
  void start() throws Exception {
    server = ForkedKubernetesMockServer.start();
    kube = server.newClient();
    TestPki.Issued root = Svid.root("mesh root");
    client = Svid.issue(root, PRODUCTPAGE).writeTo(dir, "client");
    ca = Svid.writeRoot(root, dir, "root");
    agent = Agent.serving(Svid.issue(root, DETAILS), Svid.bundle(root));
    app = TestApp.start("details");
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    app.close();
    agent.close();
    kube.close();
    server.close();
  }

  private void startProxy() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        users: [{name: mock, user: {}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: default}}]
        current-context: mock
        """.formatted(server.url()));
    proxy = Proxies.start(Proxies.config(agent.socket(), app.address(), null)
        .policySource(PolicySourceKind.KUBERNETES).kubeconfig(kubeconfig).labels(Map.of("app", "details")).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.tls().ready());
  }

  private static AuthorizationPolicy detailsViewer(AuthorizationPolicyAction action) {
    return new AuthorizationPolicyBuilder().withNewMetadata().withName("details-viewer").withNamespace("default")
        .endMetadata().withNewSpec().withAction(action).withNewSelector().addToMatchLabels("app", "details")
        .endSelector().addNewRule().addNewFrom().withNewSource().addToPrincipals("cluster.local/ns/default/sa/bookinfo-productpage")
        .endSource().endFrom().addNewTo().withNewOperation().addToMethods("GET").addToPaths("/details/*")
        .endOperation().endTo().endRule().endSpec().build();
  }

  private String mtls(String method, String path) {
    int port = proxy.inboundAddress().getPort();
    return Processes.curl("--resolve", "localhost:" + port + ":127.0.0.1", "--cacert", ca.toString(), "--cert",
        client.cert().toString(), "--key", client.key().toString(), "-X", method, "https://localhost:" + port + path)
        .output();
  }

  private String plaintext(String path) {
    return Processes.curl("http://127.0.0.1:" + proxy.inboundAddress().getPort() + path).output();
  }

  @Test
  void policiesFromTheApi_areEnforced_changedLive_andABrokenChangeKeepsTheLastGood() throws Exception {
    kube.resource(new PeerAuthenticationBuilder().withNewMetadata().withName("default").withNamespace("istio-system")
        .endMetadata().withNewSpec().withNewMtls().withMode(PeerAuthenticationMutualTLSMode.STRICT).endMtls().endSpec()
        .build()).create();
    kube.resource(detailsViewer(AuthorizationPolicyAction.ALLOW)).create();
    // Another namespace's deny-all must not reach this workload: only default and istio-system are watched.
    kube.resource(new AuthorizationPolicyBuilder().withNewMetadata().withName("deny-all").withNamespace("other")
        .endMetadata().withNewSpec().endSpec().build()).create();
    startProxy();

    assertThat(mtls("GET", "/details/0")).startsWith("details GET /details/0 xfcc=By=").endsWith("HTTP 200");
    assertThat(mtls("POST", "/details/0")).isEqualTo("RBAC: access denied\nHTTP 403");
    assertThat(plaintext("/details/0")).doesNotEndWith("HTTP 200");

    kube.resource(detailsViewer(AuthorizationPolicyAction.DENY)).update();
    await().atMost(WAIT).until(() -> mtls("GET", "/details/0").equals("RBAC: access denied\nHTTP 403"));
    assertThat(mtls("GET", "/other")).endsWith("HTTP 200");

    AuthorizationPolicy broken = detailsViewer(AuthorizationPolicyAction.ALLOW);
    broken.getSpec().getRules().get(0).getTo().get(0).getOperation().setPorts(List.of("eighty"));
    kube.resource(broken).update();
    KubernetesPolicies source = proxy.kubernetesPolicies().orElseThrow();
    await().atMost(WAIT).until(() -> source.rejected() >= 1);
    assertThat(source.lastError()).contains("AuthorizationPolicy default/details-viewer")
        .contains("spec.rules[0].to[0].operation.ports[0]");
    assertThat(mtls("GET", "/details/0")).isEqualTo("RBAC: access denied\nHTTP 403");

    kube.resource(broken).delete();
    await().atMost(WAIT).until(() -> mtls("GET", "/details/0").endsWith("HTTP 200"));
  }

  @Test
  void brokenResourceAtStart_failsClosedForWhatItSelects() throws Exception {
    AuthorizationPolicy broken = detailsViewer(AuthorizationPolicyAction.ALLOW);
    broken.getSpec().getRules().get(0).getTo().get(0).getOperation().setPorts(List.of("eighty"));
    kube.resource(broken).create();
    startProxy();

    assertThat(plaintext("/details/0")).isEqualTo("RBAC: access denied\nHTTP 403");
    assertThat(proxy.kubernetesPolicies().orElseThrow().lastError()).contains("default/details-viewer");

    kube.resource(detailsViewer(AuthorizationPolicyAction.ALLOW)).update();
    await().atMost(WAIT).until(() -> mtls("GET", "/details/0").endsWith("HTTP 200"));
  }
}
