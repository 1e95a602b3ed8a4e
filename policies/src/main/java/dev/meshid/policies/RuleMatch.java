package dev.meshid.policies;

import java.util.Objects;

/**
 * One rule of one AuthorizationPolicy that matched a request.
 *
 * @param policy the policy
 * @param ruleIndex the index in {@code spec.rules}
 */
public record RuleMatch(PolicyRef policy, int ruleIndex) {
  public RuleMatch {
    Objects.requireNonNull(policy, "policy");
    if (ruleIndex < 0) {
      throw new IllegalArgumentException("ruleIndex must be >= 0: " + ruleIndex);
    }
  }

  @Override
  public String toString() {
    return policy.qualifiedName() + " rules[" + ruleIndex + "]";
  }
}
