package dev.meshid.policies;

/** Istio's outbound traffic policy: what happens to destinations outside the egress host list. */
public enum OutboundTrafficPolicy {
  /** Unknown destinations pass through. */
  ALLOW_ANY,
  /** Only destinations in the host list are reachable; others get 502. */
  REGISTRY_ONLY
}
