package dev.meshid.policies.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.Request;
import dev.meshid.policies.Workload;
import dev.meshid.policies.model.PolicyResource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Whatever text a policy file holds, loading it yields resources that compile and evaluate, or a
 * {@link PolicyLoadException} naming the problem; no other exception escapes (the set compiler's
 * {@link IllegalArgumentException} is what {@link PolicyYamlLoader#loadPolicySet} turns into a
 * {@code PolicyLoadException}, so it is allowed there only). Under {@code mvn test} this replays the corpus in
 * {@code src/test/resources/dev/meshid/policies/yaml/PolicyYamlFuzzTestInputs/<method>/}. To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl policies test -Dtest=PolicyYamlFuzzTest -Djazzer.instrument=dev.meshid.**,com.fasterxml.**,org.snakeyaml.**}.
 */
class PolicyYamlFuzzTest {
  private static final PolicyYamlLoader LOADER = new PolicyYamlLoader();
  private static final Workload WORKLOAD = new Workload("default", Map.of("app", "web"));

  @FuzzTest(maxDuration = "60s")
  void parse_anyYaml_compilesOrThrowsPolicyLoadException(byte[] data) {
    String yaml = new String(data, StandardCharsets.UTF_8);
    List<PolicyResource> resources;
    try {
      resources = LOADER.parse(yaml, "fuzz.yaml");
    } catch (PolicyLoadException e) {
      assertThat(e.getMessage()).contains("fuzz.yaml");
      return;
    }
    PolicySet set;
    try {
      set = PolicySet.of(resources, PolicySet.DEFAULT_ROOT_NAMESPACE);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    // A set that compiled must answer every question about a workload.
    assertThat(set.peerAuthentication(WORKLOAD, 8080)).isNotNull();
    Request request = Request.builder().peer("spiffe://cluster.local/ns/default/sa/client")
        .sourceIp("10.0.0.1").port(8080).method("GET").path("/api/x").host("web.default.svc").build();
    assertThat(set.authorize(WORKLOAD, request)).isNotNull();
  }
}
