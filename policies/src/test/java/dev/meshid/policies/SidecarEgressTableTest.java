package dev.meshid.policies;

import static dev.meshid.policies.Fixtures.DETAILS;
import static dev.meshid.policies.Fixtures.set;
import static dev.meshid.policies.Fixtures.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sidecar egress host lists: which Sidecar applies and which hosts it lists. */
class SidecarEgressTableTest {
  private static final String NS_DEFAULT = sidecar("default/default",
      "{egress: [{hosts: [\"./*\", \"istio-system/*\", \"*/api.example.com\", \"*/*.googleapis.com\"]}], "
          + "outboundTrafficPolicy: {mode: REGISTRY_ONLY}}");
  private static final String WL_NONE = sidecar("default/details",
      "{workloadSelector: {labels: {app: details}}, egress: [{hosts: [\"~/*\"]}]}");
  private static final String MESH = sidecar("istio-system/default", "{egress: [{hosts: [\"istio-system/*\"]}]}");
  private static final String PORTS = sidecar("default/ports",
      "{egress: [{port: {number: 5432, protocol: TCP, name: pg}, hosts: [db/postgres.db.svc.cluster.local]}, "
          + "{hosts: [\"./*\"]}]}");

  record Case(String name, String policies, String hostNamespace, String host, int port, boolean listed) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("egress_noSidecar_listed", "", "anything", "x.anything.svc.cluster.local", 80, true),
        new Case("egress_ownNamespace_listed", NS_DEFAULT, "default", "reviews.default.svc.cluster.local", 9080, true),
        new Case("egress_rootNamespace_listed", NS_DEFAULT, "istio-system", "istiod.istio-system.svc", 15012, true),
        new Case("egress_otherNamespace_notListed", NS_DEFAULT, "other", "x.other.svc.cluster.local", 80, false),
        new Case("egress_anyNamespaceExactHost_listed", NS_DEFAULT, null, "API.example.com", 443, true),
        new Case("egress_anyNamespaceOtherHost_notListed", NS_DEFAULT, null, "www.example.com", 443, false),
        new Case("egress_wildcardSubdomain_listed", NS_DEFAULT, null, "storage.googleapis.com", 443, true),
        new Case("egress_wildcardBareDomain_notListed", NS_DEFAULT, null, "googleapis.com", 443, false),
        new Case("egress_workloadSidecarNone_notListed", NS_DEFAULT + WL_NONE, "default", "r.default.svc", 80, false),
        new Case("egress_meshDefault_rootOnly", MESH, "default", "r.default.svc", 80, false),
        new Case("egress_meshDefaultRoot_listed", MESH, "istio-system", "istiod.istio-system.svc", 15012, true),
        new Case("egress_namespaceOverMesh_listed", MESH + NS_DEFAULT, "default", "r.default.svc", 80, true),
        new Case("egress_portListener_listed", PORTS, "db", "postgres.db.svc.cluster.local", 5432, true),
        new Case("egress_portListenerReplacesCatchAll_notListed", PORTS, "default", "r.default.svc", 5432, false),
        new Case("egress_catchAllOtherPort_listed", PORTS, "default", "r.default.svc", 80, true),
        new Case("egress_portOnlyHostOtherPort_notListed", PORTS, "db", "postgres.db.svc.cluster.local", 80, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void egress(Case c) {
    EgressDecision d = set(c.policies()).egress(DETAILS, c.hostNamespace(), c.host(), c.port());

    assertThat(d.inHostList()).isEqualTo(c.listed());
  }

  @org.junit.jupiter.api.Test
  void allowed_registryOnlyFromSidecar_refusesUnlisted() {
    EgressDecision d = set(NS_DEFAULT).egress(DETAILS, "other", "x.other.svc", 80);

    assertThat(d.outboundTrafficPolicy()).isEqualTo(OutboundTrafficPolicy.REGISTRY_ONLY);
    assertThat(d.allowed(OutboundTrafficPolicy.ALLOW_ANY)).isFalse();
    assertThat(d.sidecar()).hasToString("Sidecar default/default");
  }

  @org.junit.jupiter.api.Test
  void allowed_meshDefaultAllowAny_passesUnlisted() {
    EgressDecision d = set(MESH).egress(DETAILS, "other", "x.other.svc", 80);

    assertThat(d.inHostList()).isFalse();
    assertThat(d.allowed(OutboundTrafficPolicy.ALLOW_ANY)).isTrue();
    assertThat(d.allowed(OutboundTrafficPolicy.REGISTRY_ONLY)).isFalse();
  }
}
