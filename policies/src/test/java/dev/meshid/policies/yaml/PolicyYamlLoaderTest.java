package dev.meshid.policies.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.policies.AuthzAction;
import dev.meshid.policies.MtlsMode;
import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.model.AuthorizationPolicyResource;
import dev.meshid.policies.model.PeerAuthenticationResource;
import dev.meshid.policies.model.PolicyResource;
import dev.meshid.policies.model.SidecarResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyYamlLoaderTest {
  private static final String TWO_DOCS = """
      # leading comment and an empty first document
      ---
      apiVersion: security.istio.io/v1beta1
      kind: PeerAuthentication
      metadata:
        name: default
        creationTimestamp: "2024-05-01T12:00:00Z"
      spec:
        mtls: {mode: STRICT}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny-post, namespace: shop, uid: abc, labels: {team: x}}
      spec:
        action: DENY
        rules:
        - to: [{operation: {methods: [POST]}}]
      """;
  private final PolicyYamlLoader loader = new PolicyYamlLoader();

  @Test
  void parse_multiDocument_readsEveryResource() {
    List<PolicyResource> rs = loader.parse(TWO_DOCS, "two.yaml");

    assertThat(rs).hasSize(2);
    PeerAuthenticationResource pa = (PeerAuthenticationResource) rs.get(0);
    assertThat(pa.meta().namespace()).isEqualTo("default");
    assertThat(pa.meta().creationTimestamp()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    assertThat(pa.mode()).isEqualTo(MtlsMode.STRICT);
    AuthorizationPolicyResource ap = (AuthorizationPolicyResource) rs.get(1);
    assertThat(ap.meta().ref()).hasToString("AuthorizationPolicy shop/deny-post");
    assertThat(ap.action()).isEqualTo(AuthzAction.DENY);
    assertThat(ap.rules().get(0).to().get(0).methods()).containsExactly("POST");
  }

  @Test
  void parse_otherKindsAndList_skippedOrExpanded() {
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        ---
        apiVersion: v1
        kind: List
        items:
        - apiVersion: networking.istio.io/v1beta1
          kind: Sidecar
          metadata: {name: s, namespace: ns}
          spec:
            workloadSelector: {labels: {app: a}}
            egress: [{hosts: ["./*"]}]
        """;

    List<PolicyResource> rs = loader.parse(yaml, "list.yaml");

    assertThat(rs).singleElement().isInstanceOf(SidecarResource.class);
    assertThat(rs.get(0).selector()).isEqualTo(Map.of("app", "a"));
  }

  @Test
  void load_directory_readsYamlFilesInNameOrder(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b.yml"), "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
        + "metadata: {name: b}\nspec: {}\n");
    Files.writeString(dir.resolve("a.yaml"), "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
        + "metadata: {name: a}\nspec: {}\n");
    Files.writeString(dir.resolve("notes.txt"), "not yaml: [");
    Files.writeString(dir.resolve(".hidden.yaml"), "not yaml: [");

    List<PolicyResource> rs = loader.load(dir);

    assertThat(rs).extracting(r -> r.meta().name()).containsExactly("a", "b");
    assertThat(rs.get(0).meta().origin()).isEqualTo(dir.resolve("a.yaml").toString());
  }

  @Test
  void load_errorInDirectoryFile_namesTheFile(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("x.yaml");
    Files.writeString(bad, "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
        + "metadata: {name: details-viewer, namespace: default}\n"
        + "spec: {rules: [{to: [{operation: {methods: GET}}]}]}\n");

    assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(PolicyLoadException.class)
        .hasMessage(bad + ": AuthorizationPolicy default/details-viewer: "
            + "spec.rules[0].to[0].operation.methods: expected a list of strings, got a string")
        .satisfies(e -> {
          PolicyLoadException p = (PolicyLoadException) e;
          assertThat(p.source()).isEqualTo(bad.toString());
          assertThat(p.resource()).isEqualTo("AuthorizationPolicy default/details-viewer");
          assertThat(p.field()).isEqualTo("spec.rules[0].to[0].operation.methods");
        });
  }

  @Test
  void loadPolicySet_duplicateResource_namesBothFiles(@TempDir Path dir) throws Exception {
    String doc = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a}\nspec: {}\n";
    Files.writeString(dir.resolve("1.yaml"), doc);
    Files.writeString(dir.resolve("2.yaml"), doc);

    assertThatThrownBy(() -> loader.loadPolicySet(dir, "istio-system"))
        .hasMessageContaining("duplicate AuthorizationPolicy default/a")
        .hasMessageContaining("1.yaml").hasMessageContaining("2.yaml");
  }

  @Test
  void load_missingFile_namesIt() {
    assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/p.yaml")))
        .hasMessageStartingWith("/nonexistent/p.yaml: cannot read");
  }
}
