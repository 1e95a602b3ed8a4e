package dev.meshid.policies.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.policies.MtlsMode;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.Request;
import dev.meshid.policies.Workload;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.AuthorizationPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Live changes through the informers: updates, broken updates, v1beta1, and the namespaces watched. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesPolicySourceLiveTest {
  private static final Workload DETAILS = new Workload("default", Map.of("app", "details"));
  private static final Request GET_DETAILS = Request.builder()
      .peer("spiffe://cluster.local/ns/default/sa/bookinfo-productpage").method("GET").path("/details/0").build();
  private static final Duration WAIT = Duration.ofSeconds(10);

  KubernetesClient client;

  private static AuthorizationPolicy policy(String ns, String name, AuthorizationPolicyAction action, String path) {
    return new AuthorizationPolicyBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withAction(action).withNewSelector().addToMatchLabels("app", "details").endSelector()
        .addNewRule().addNewTo().withNewOperation().addToPaths(path).endOperation().endTo().endRule().endSpec().build();
  }

  private KubernetesPolicySource started() {
    KubernetesPolicySource source = new KubernetesPolicySource(client, List.of("default", "istio-system"),
        "istio-system", s -> { });
    source.start();
    return source;
  }

  @Test
  void update_flipsAllowIntoDeny_appliedLive() {
    client.resource(policy("default", "details", AuthorizationPolicyAction.ALLOW, "/details/*")).create();
    try (KubernetesPolicySource source = started()) {
      assertThat(source.current().authorize(DETAILS, GET_DETAILS).describe())
          .isEqualTo("allowed by ALLOW policy default/details rules[0]");

      client.resource(policy("default", "details", AuthorizationPolicyAction.DENY, "/details/*")).update();

      await().atMost(WAIT).untilAsserted(() -> assertThat(source.current().authorize(DETAILS, GET_DETAILS).describe())
          .isEqualTo("denied by DENY policy default/details rules[0]"));
    }
  }

  @Test
  void brokenUpdate_isRejectedNamingTheField_andTheLastGoodVersionStays() {
    client.resource(policy("default", "details", AuthorizationPolicyAction.ALLOW, "/details/*")).create();
    try (KubernetesPolicySource source = started()) {
      PolicySet before = source.current();

      AuthorizationPolicy broken = policy("default", "details", AuthorizationPolicyAction.DENY, "/details/*");
      broken.getSpec().getRules().get(0).getTo().get(0).getOperation().setPorts(List.of("eighty"));
      client.resource(broken).update();

      await().atMost(WAIT).until(() -> source.rejected() >= 1);
      assertThat(source.lastError()).contains("AuthorizationPolicy default/details")
          .contains("spec.rules[0].to[0].operation.ports[0]");
      assertThat(source.current()).isSameAs(before);
      assertThat(source.current().authorize(DETAILS, GET_DETAILS).allowed()).isTrue();
    }
  }

  @Test
  void brokenNewResource_isLeftOut_andTheSetInForceIsKept() {
    try (KubernetesPolicySource source = started()) {
      PolicySet before = source.current();

      AuthorizationPolicy broken = policy("default", "deny-details", AuthorizationPolicyAction.DENY, "/details/*");
      broken.getSpec().getRules().get(0).getTo().get(0).getOperation().setNotPorts(List.of("http"));
      client.resource(broken).create();

      await().atMost(WAIT).until(() -> source.rejected() >= 1);
      assertThat(source.lastError()).contains("AuthorizationPolicy default/deny-details").contains("spec.rules[0].to[0].operation.notPorts[0]");
      assertThat(source.current()).isSameAs(before);
    }
  }

  @Test
  void v1beta1Resources_areEnforcedLikeV1() {
    try (KubernetesPolicySource source = started()) {
      client.resource(new io.fabric8.istio.api.security.v1beta1.PeerAuthenticationBuilder().withNewMetadata()
          .withName("default").withNamespace("istio-system").endMetadata().withNewSpec().withNewMtls()
          .withMode(PeerAuthenticationMutualTLSMode.STRICT).endMtls().endSpec().build()).create();
      client.resource(new io.fabric8.istio.api.security.v1beta1.AuthorizationPolicyBuilder().withNewMetadata()
          .withName("deny-details").withNamespace("default").endMetadata().withNewSpec()
          .withAction(AuthorizationPolicyAction.DENY).addNewRule().addNewTo().withNewOperation()
          .addToPaths("/details/*").endOperation().endTo().endRule().endSpec().build()).create();

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(source.current().forWorkload(DETAILS).mtlsMode(9080)).isEqualTo(MtlsMode.STRICT);
        assertThat(source.current().authorize(DETAILS, GET_DETAILS).describe())
            .isEqualTo("denied by DENY policy default/deny-details rules[0]");
      });
    }
  }

  @Test
  void otherNamespaces_areNotWatched() {
    client.resource(policy("other", "deny-details", AuthorizationPolicyAction.DENY, "/details/*")).create();
    client.resource(policy("istio-system", "mesh-deny", AuthorizationPolicyAction.DENY, "/mesh/*")).create();
    try (KubernetesPolicySource source = started()) {
      assertThat(source.current().resources()).extracting(r -> r.meta().namespace() + "/" + r.meta().name())
          .containsExactly("istio-system/mesh-deny");
    }
  }
}
