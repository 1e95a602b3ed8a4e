package dev.meshid.policies.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.policies.MtlsMode;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.Request;
import dev.meshid.policies.Workload;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.networking.v1.SidecarBuilder;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.AuthorizationPolicyBuilder;
import io.fabric8.istio.api.security.v1.PeerAuthenticationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

// Plain HTTP: with https (the default) every mock server (the extension starts one per class and one per
// test) generates a self-signed certificate and a PKCS#12 key store (PBKDF2) for its TLS context; that
// was ~10 of this class's ~13 s. Informers and watches do the same work over HTTP.
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesPolicySourceTest {
  private static final Workload DETAILS = new Workload("default", Map.of("app", "details"));
  private static final Request PRODUCTPAGE_GET = Request.builder()
      .peer("spiffe://cluster.local/ns/default/sa/bookinfo-productpage").method("GET").path("/details/0").build();

  KubernetesClient client;

  // Needs working watches: fabric8's mock server 7.5.2 is built on Vert.x 4, which policies/pom.xml pins
  // for this module's tests (the parent's Vert.x 5 breaks the mock's WebSocket upgrade).
  @Test
  void start_resourcesCreatedAndDeleted_snapshotFollows() {
    AtomicInteger updates = new AtomicInteger();
    try (KubernetesPolicySource source = new KubernetesPolicySource(client, "istio-system", s -> updates.incrementAndGet())) {
      source.start();
      assertThat(source.current().authorize(DETAILS, PRODUCTPAGE_GET).allowed()).isTrue();

      client.resource(new PeerAuthenticationBuilder().withNewMetadata().withName("default").withNamespace("istio-system")
          .endMetadata().withNewSpec().withNewMtls().withMode(PeerAuthenticationMutualTLSMode.STRICT).endMtls().endSpec()
          .build()).create();
      AuthorizationPolicy viewer = new AuthorizationPolicyBuilder().withNewMetadata().withName("details-viewer")
          .withNamespace("default").endMetadata().withNewSpec().withAction(AuthorizationPolicyAction.ALLOW)
          .withNewSelector().addToMatchLabels("app", "details").endSelector()
          .addNewRule().addNewFrom().withNewSource().addToPrincipals("cluster.local/ns/default/sa/other").endSource()
          .endFrom().endRule().endSpec().build();
      client.resource(viewer).create();
      client.resource(new SidecarBuilder().withNewMetadata().withName("default").withNamespace("default").endMetadata()
          .withNewSpec().addNewEgress().addToHosts("./*").endEgress().endSpec().build()).create();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        PolicySet s = source.current();
        assertThat(s.resources()).hasSize(3);
        assertThat(s.forWorkload(DETAILS).mtlsMode(9080)).isEqualTo(MtlsMode.STRICT);
        assertThat(s.authorize(DETAILS, PRODUCTPAGE_GET).allowed()).isFalse();
        assertThat(s.egress(DETAILS, "other", "x.other.svc", 80).inHostList()).isFalse();
      });

      client.resource(viewer).delete();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(source.current().authorize(DETAILS, PRODUCTPAGE_GET).allowed()).isTrue());
      assertThat(updates.get()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void start_existingResources_loadedFromInitialListing() {
    client.resource(new PeerAuthenticationBuilder().withNewMetadata().withName("default").withNamespace("istio-system")
        .endMetadata().withNewSpec().withNewMtls().withMode(PeerAuthenticationMutualTLSMode.STRICT).endMtls().endSpec()
        .build()).create();
    client.resource(new AuthorizationPolicyBuilder().withNewMetadata().withName("details-viewer").withNamespace("default")
        .endMetadata().withNewSpec().withAction(AuthorizationPolicyAction.ALLOW)
        .withNewSelector().addToMatchLabels("app", "details").endSelector()
        .addNewRule().addNewFrom().withNewSource().addToPrincipals("cluster.local/ns/default/sa/bookinfo-productpage")
        .endSource().endFrom().addNewTo().withNewOperation().addToMethods("GET").addToPaths("/details/*").endOperation()
        .endTo().endRule().endSpec().build()).create();
    client.resource(new SidecarBuilder().withNewMetadata().withName("default").withNamespace("default").endMetadata()
        .withNewSpec().addNewEgress().addToHosts("./*").endEgress().endSpec().build()).create();

    try (KubernetesPolicySource source = new KubernetesPolicySource(client, "istio-system", s -> { })) {
      source.start();

      PolicySet s = source.current();
      assertThat(s.resources()).hasSize(3);
      assertThat(s.forWorkload(DETAILS).mtlsMode(9080)).isEqualTo(MtlsMode.STRICT);
      assertThat(s.authorize(DETAILS, PRODUCTPAGE_GET).describe())
          .isEqualTo("allowed by ALLOW policy default/details-viewer rules[0]");
      assertThat(s.authorize(DETAILS, Request.builder().method("POST").path("/details/0").build()).allowed()).isFalse();
      assertThat(s.egress(DETAILS, "other", "x.other.svc", 80).inHostList()).isFalse();
    }
  }

  @Test
  void start_invalidAuthorizationPolicy_deniesItsWorkloads() {
    client.resource(new AuthorizationPolicyBuilder().withNewMetadata().withName("broken").withNamespace("default")
        .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "details").endSelector()
        .addNewRule().addNewFrom().withNewSource().addToIpBlocks("not-an-ip").endSource().endFrom().endRule()
        .endSpec().build()).create();

    try (KubernetesPolicySource source = new KubernetesPolicySource(client, "istio-system", s -> { })) {
      source.start();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        PolicySet s = source.current();
        assertThat(s.authorize(DETAILS, PRODUCTPAGE_GET).describe())
            .isEqualTo("denied by DENY policy default/broken rules[0]");
        assertThat(s.authorize(Workload.of("default"), PRODUCTPAGE_GET).allowed()).isTrue();
      });
    }
  }
}
