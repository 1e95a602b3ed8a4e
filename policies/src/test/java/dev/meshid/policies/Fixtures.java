package dev.meshid.policies;

import dev.meshid.policies.yaml.PolicyYamlLoader;
import java.util.Map;

/** Short ways to write policies and requests in tables. */
final class Fixtures {
  static final String PRODUCTPAGE = "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";
  static final String REVIEWS_OTHER_NS = "spiffe://cluster.local/ns/other/sa/reviews";
  static final Workload DETAILS = new Workload("default", Map.of("app", "details", "version", "v1"));

  private Fixtures() {}

  /** An AuthorizationPolicy document; {@code spec} is YAML flow style, e.g. {@code {action: DENY}}. */
  static String ap(String namespaceSlashName, String spec) {
    return doc("security.istio.io/v1", "AuthorizationPolicy", namespaceSlashName, null, spec);
  }

  /** A PeerAuthentication document. */
  static String pa(String namespaceSlashName, String spec) {
    return doc("security.istio.io/v1", "PeerAuthentication", namespaceSlashName, null, spec);
  }

  /** A PeerAuthentication document with a creation time. */
  static String pa(String namespaceSlashName, String created, String spec) {
    return doc("security.istio.io/v1", "PeerAuthentication", namespaceSlashName, created, spec);
  }

  /** A Sidecar document. */
  static String sidecar(String namespaceSlashName, String spec) {
    return doc("networking.istio.io/v1", "Sidecar", namespaceSlashName, null, spec);
  }

  static String doc(String apiVersion, String kind, String namespaceSlashName, String created, String spec) {
    String[] nn = namespaceSlashName.split("/");
    return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  namespace: " + nn[0]
        + "\n  name: " + nn[1] + "\n" + (created == null ? "" : "  creationTimestamp: " + created + "\n")
        + "spec: " + spec + "\n---\n";
  }

  static PolicySet set(String... docs) {
    return PolicySet.of(new PolicyYamlLoader().parse(String.join("", docs), "test.yaml"));
  }

  static Request.Builder http(String peer, String method, String path) {
    return Request.builder().peer(peer).method(method).path(path).port(9080).sourceIp("10.1.2.3");
  }

  static Request.Builder tcp(String peer) {
    return Request.builder().tcp().peer(peer).port(9080).sourceIp("10.1.2.3");
  }
}
