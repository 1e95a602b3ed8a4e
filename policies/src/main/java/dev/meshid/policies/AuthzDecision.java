package dev.meshid.policies;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of authorizing one request, with what decided it, for access logs and the
 * {@code RBAC: access denied} response.
 *
 * @param allowed whether the request may proceed
 * @param reason why
 * @param decidedBy the DENY or ALLOW rule that decided, or null when no rule did
 * @param audits the AUDIT rules that matched (never affect {@code allowed})
 */
public record AuthzDecision(boolean allowed, Reason reason, RuleMatch decidedBy, List<RuleMatch> audits) {

  /** Why a request was allowed or denied. */
  public enum Reason {
    /** A DENY policy matched. */
    DENY_MATCHED,
    /** Some ALLOW policy matched and no DENY policy did. */
    ALLOW_MATCHED,
    /** No ALLOW policy applies to the workload, and no DENY policy matched. */
    NO_ALLOW_POLICY,
    /** ALLOW policies apply to the workload but none matched. */
    NO_ALLOW_MATCHED
  }

  public AuthzDecision {
    Objects.requireNonNull(reason, "reason");
    audits = List.copyOf(audits);
    boolean needsRule = reason == Reason.DENY_MATCHED || reason == Reason.ALLOW_MATCHED;
    if (needsRule != (decidedBy != null)) {
      throw new IllegalArgumentException(reason + " and decidedBy=" + decidedBy + " disagree");
    }
    if (allowed != (reason == Reason.ALLOW_MATCHED || reason == Reason.NO_ALLOW_POLICY)) {
      throw new IllegalArgumentException(reason + " and allowed=" + allowed + " disagree");
    }
  }

  /** A short explanation, e.g. {@code denied by DENY policy default/deny-all rules[0]}. */
  public String describe() {
    return switch (reason) {
      case DENY_MATCHED -> "denied by DENY policy " + decidedBy;
      case ALLOW_MATCHED -> "allowed by ALLOW policy " + decidedBy;
      case NO_ALLOW_POLICY -> "allowed: no ALLOW policy applies";
      case NO_ALLOW_MATCHED -> "denied: no ALLOW policy matched";
    };
  }
}
