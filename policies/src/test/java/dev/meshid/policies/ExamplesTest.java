package dev.meshid.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.policies.yaml.PolicyYamlLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every file under policies/examples loads and means what its comment says. */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("examples");
  private static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
  private final PolicyYamlLoader loader = new PolicyYamlLoader();

  private PolicySet example(String file) {
    return loader.loadPolicySet(EXAMPLES.resolve(file), PolicySet.DEFAULT_ROOT_NAMESPACE);
  }

  @Test
  void denyAll_anyRequestInFoo_denied() {
    PolicySet set = example("deny-all.yaml");
    Request r = Request.builder().peer(PRODUCTPAGE).method("GET").path("/").build();

    assertThat(set.authorize(Workload.of("foo"), r).allowed()).isFalse();
    assertThat(set.authorize(Workload.of("default"), r).allowed()).isTrue();
  }

  @Test
  void detailsViewer_productpageGetDetails_allowed() {
    PolicySet set = example("details-viewer.yaml");
    Workload details = new Workload("default", Map.of("app", "details"));

    AuthzDecision ok = set.authorize(details, Request.builder().peer(PRODUCTPAGE).method("GET").path("/details/0").build());
    AuthzDecision post = set.authorize(details, Request.builder().peer(PRODUCTPAGE).method("POST").path("/details/0").build());

    assertThat(ok.describe()).isEqualTo("allowed by ALLOW policy default/details-viewer rules[0]");
    assertThat(post.describe()).isEqualTo("denied: no ALLOW policy matched");
  }

  @Test
  void strictMtls_anyWorkload_strict() {
    assertThat(example("strict-mtls.yaml").forWorkload(Workload.of("anywhere")).mtlsMode(8080)).isEqualTo(MtlsMode.STRICT);
  }

  @Test
  void permissiveNamespace_legacyAndDbMetrics_asCommented() {
    PolicySet set = loader.loadPolicySet(EXAMPLES, PolicySet.DEFAULT_ROOT_NAMESPACE);
    WorkloadPolicies db = set.forWorkload(new Workload("legacy", Map.of("app", "db")));

    assertThat(set.forWorkload(Workload.of("legacy")).mtlsMode(80)).isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(set.forWorkload(Workload.of("default")).mtlsMode(80)).isEqualTo(MtlsMode.STRICT);
    assertThat(db.mtlsMode(5432)).isEqualTo(MtlsMode.STRICT);
    assertThat(db.mtlsMode(9090)).isEqualTo(MtlsMode.DISABLE);
  }

  @Test
  void sidecarRegistryOnly_listedAndUnlisted() {
    WorkloadPolicies w = example("sidecar-registry-only.yaml").forWorkload(Workload.of("default"));

    assertThat(w.egress("default", "reviews.default.svc.cluster.local", 9080).allowed(OutboundTrafficPolicy.ALLOW_ANY)).isTrue();
    assertThat(w.egress(null, "api.example.com", 443).inHostList()).isTrue();
    assertThat(w.egress(null, "evil.example.net", 443).allowed(OutboundTrafficPolicy.ALLOW_ANY)).isFalse();
  }
}
