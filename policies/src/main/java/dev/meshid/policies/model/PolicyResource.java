package dev.meshid.policies.model;

import java.util.Map;

/** One loaded Istio resource that meshid enforces. */
public sealed interface PolicyResource
    permits PeerAuthenticationResource, AuthorizationPolicyResource, SidecarResource {

  /** Kind, namespace, name and origin. */
  ResourceMeta meta();

  /** The workload selector's match labels; empty means the whole namespace. */
  Map<String, String> selector();

  /** Whether a selector narrows this resource to some workloads. */
  default boolean hasSelector() {
    return !selector().isEmpty();
  }
}
