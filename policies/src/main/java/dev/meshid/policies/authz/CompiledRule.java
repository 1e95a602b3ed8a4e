package dev.meshid.policies.authz;

import dev.meshid.policies.AuthzDecision;
import dev.meshid.policies.RuleMatch;
import java.util.List;

/**
 * One rule as matchers: some {@code from} (each an AND of fields) and some {@code to} and every
 * {@code when}. An empty {@code from} or {@code to} matches anything. The decisions this rule can
 * cause are built once here, so a decision without audits allocates nothing.
 */
final class CompiledRule {
  final RuleMatch match;
  final AuthzDecision allowedBy;
  final AuthzDecision deniedBy;
  final FieldMatcher[][] from;
  final FieldMatcher[][] to;
  final FieldMatcher[] when;

  CompiledRule(RuleMatch match, FieldMatcher[][] from, FieldMatcher[][] to, FieldMatcher[] when) {
    this.match = match;
    this.from = from;
    this.to = to;
    this.when = when;
    this.allowedBy = new AuthzDecision(true, AuthzDecision.Reason.ALLOW_MATCHED, match, List.of());
    this.deniedBy = new AuthzDecision(false, AuthzDecision.Reason.DENY_MATCHED, match, List.of());
  }

  boolean matches(EvalContext c) {
    return someMatches(from, c) && someMatches(to, c) && allMatch(when, c);
  }

  private static boolean someMatches(FieldMatcher[][] alternatives, EvalContext c) {
    if (alternatives.length == 0) {
      return true;
    }
    for (FieldMatcher[] conjunction : alternatives) {
      if (allMatch(conjunction, c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allMatch(FieldMatcher[] fields, EvalContext c) {
    for (FieldMatcher f : fields) {
      if (!f.matches(c)) {
        return false;
      }
    }
    return true;
  }
}
