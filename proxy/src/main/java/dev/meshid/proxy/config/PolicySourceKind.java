package dev.meshid.proxy.config;

/** Where the proxy takes its Istio policies from. */
public enum PolicySourceKind {
  /** YAML files in {@code --policy-dir}, polled; none given: no policies (PERMISSIVE, allow all). */
  FILE,
  /**
   * The Kubernetes API: PeerAuthentication, AuthorizationPolicy and Sidecar in the workload's namespace and
   * the root namespace, through informers.
   */
  KUBERNETES
}
