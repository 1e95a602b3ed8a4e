package dev.meshid.policies;

/**
 * The action of an AuthorizationPolicy. Istio's {@code CUSTOM} is refused when a policy is loaded,
 * so it is not a member of this closed set.
 */
public enum AuthzAction {
  /** The request is allowed when it matches; the default when {@code action} is absent. */
  ALLOW,
  /** The request is denied when it matches; DENY is evaluated before ALLOW. */
  DENY,
  /** A match is recorded in the decision and never changes it. */
  AUDIT
}
