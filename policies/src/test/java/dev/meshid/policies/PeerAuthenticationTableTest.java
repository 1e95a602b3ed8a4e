package dev.meshid.policies;

import static dev.meshid.policies.Fixtures.DETAILS;
import static dev.meshid.policies.Fixtures.pa;
import static dev.meshid.policies.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PeerAuthentication precedence, inheritance, oldest-wins and port level (PROTOCOLS.md §8). */
class PeerAuthenticationTableTest {
  private static final String MESH_STRICT = pa("istio-system/default", "{mtls: {mode: STRICT}}");
  private static final String NS_PERMISSIVE = pa("default/ns", "{mtls: {mode: PERMISSIVE}}");
  private static final String NS_UNSET = pa("default/ns", "{mtls: {mode: UNSET}}");
  private static final String WL_DISABLE = pa("default/wl", "{selector: {matchLabels: {app: details}}, mtls: {mode: DISABLE}}");
  private static final String WL_UNSET = pa("default/wl", "{selector: {matchLabels: {app: details}}}");
  private static final String WL_PORTS = pa("default/wl", "{selector: {matchLabels: {app: details}}, mtls: {mode: STRICT}, "
      + "portLevelMtls: {\"9090\": {mode: DISABLE}, \"9091\": {mode: UNSET}}}");
  private static final String WL_UNSET_PORTS = pa("default/wl", "{selector: {matchLabels: {app: details}}, "
      + "portLevelMtls: {\"9090\": {mode: STRICT}, \"9091\": {mode: UNSET}}}");

  record Case(String name, String policies, int port, MtlsMode mode, String decidedBy) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("mtls_noPolicy_permissive", "", 9080, MtlsMode.PERMISSIVE, null),
        new Case("mtls_meshStrict_strict", MESH_STRICT, 9080, MtlsMode.STRICT, "istio-system/default"),
        new Case("mtls_namespaceOverMesh_permissive", MESH_STRICT + NS_PERMISSIVE, 9080, MtlsMode.PERMISSIVE, "default/ns"),
        new Case("mtls_workloadOverNamespace_disable", MESH_STRICT + NS_PERMISSIVE + WL_DISABLE, 9080, MtlsMode.DISABLE, "default/wl"),
        new Case("mtls_workloadUnsetInheritsNamespace_permissive", MESH_STRICT + NS_PERMISSIVE + WL_UNSET, 9080,
            MtlsMode.PERMISSIVE, "default/ns"),
        new Case("mtls_namespaceUnsetInheritsMesh_strict", MESH_STRICT + NS_UNSET, 9080, MtlsMode.STRICT, "istio-system/default"),
        new Case("mtls_allUnset_permissive", NS_UNSET + WL_UNSET, 9080, MtlsMode.PERMISSIVE, null),
        new Case("mtls_meshInOtherRoot_ignored", pa("mesh-root/default", "{mtls: {mode: STRICT}}"), 9080, MtlsMode.PERMISSIVE, null),
        new Case("mtls_otherNamespace_ignored", pa("other/ns", "{mtls: {mode: STRICT}}"), 9080, MtlsMode.PERMISSIVE, null),
        new Case("mtls_selectorMismatch_namespaceMode", NS_PERMISSIVE
            + pa("default/ratings", "{selector: {matchLabels: {app: ratings}}, mtls: {mode: DISABLE}}"), 9080,
            MtlsMode.PERMISSIVE, "default/ns"),
        new Case("mtls_rootSelectorNotMeshWide_permissive",
            pa("istio-system/sel", "{selector: {matchLabels: {app: details}}, mtls: {mode: STRICT}}"), 9080,
            MtlsMode.PERMISSIVE, null),
        new Case("mtls_oldestNamespacePolicyWins_strict",
            pa("default/newer", "2024-06-01T00:00:00Z", "{mtls: {mode: DISABLE}}")
                + pa("default/older", "2023-01-01T00:00:00Z", "{mtls: {mode: STRICT}}"), 9080, MtlsMode.STRICT, "default/older"),
        new Case("mtls_sameTimeNameTieBreak_strict",
            pa("default/b", "2024-01-01T00:00:00Z", "{mtls: {mode: DISABLE}}")
                + pa("default/a", "2024-01-01T00:00:00Z", "{mtls: {mode: STRICT}}"), 9080, MtlsMode.STRICT, "default/a"),
        new Case("mtls_oldestWorkloadPolicyWins_disable",
            pa("default/w1", "2024-03-01T00:00:00Z", "{selector: {matchLabels: {app: details}}, mtls: {mode: STRICT}}")
                + pa("default/w2", "2022-03-01T00:00:00Z", "{selector: {matchLabels: {version: v1}}, mtls: {mode: DISABLE}}"),
            9080, MtlsMode.DISABLE, "default/w2"),
        new Case("mtls_portLevel_disable", MESH_STRICT + WL_PORTS, 9090, MtlsMode.DISABLE, "default/wl"),
        new Case("mtls_portLevelOtherPort_workloadMode", NS_PERMISSIVE + WL_PORTS, 9080, MtlsMode.STRICT, "default/wl"),
        new Case("mtls_portLevelUnset_workloadMode", NS_PERMISSIVE + WL_PORTS, 9091, MtlsMode.STRICT, "default/wl"),
        new Case("mtls_portLevelUnsetWorkloadUnset_namespaceMode", NS_PERMISSIVE + WL_UNSET_PORTS, 9091,
            MtlsMode.PERMISSIVE, "default/ns"),
        new Case("mtls_portLevelOverInheritedMode_strict", NS_PERMISSIVE + WL_UNSET_PORTS, 9090, MtlsMode.STRICT, "default/wl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void peerAuthentication(Case c) {
    MtlsDecision d = set(c.policies()).peerAuthentication(DETAILS, c.port());

    assertThat(d.mode()).isEqualTo(c.mode());
    assertThat(d.decidedBy() == null ? null : d.decidedBy().qualifiedName()).isEqualTo(c.decidedBy());
  }
}
