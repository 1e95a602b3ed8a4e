package dev.meshid.policies.authz;

import dev.meshid.policies.AuthzDecision;
import dev.meshid.policies.AuthzDecision.Reason;
import dev.meshid.policies.Request;
import dev.meshid.policies.RuleMatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The AuthorizationPolicies that apply to one workload, split by action, and the evaluation order:
 * any matching DENY denies; no ALLOW policy allows; otherwise some ALLOW must match. AUDIT matches
 * are recorded and never change the outcome.
 */
public final class Authorizer {
  private static final AuthzDecision NO_ALLOW_POLICY =
      new AuthzDecision(true, Reason.NO_ALLOW_POLICY, null, List.of());
  private static final AuthzDecision NO_ALLOW_MATCHED =
      new AuthzDecision(false, Reason.NO_ALLOW_MATCHED, null, List.of());

  private final CompiledPolicy[] deny;
  private final CompiledPolicy[] allow;
  private final CompiledPolicy[] audit;
  private final PolicyIndex denyHttp;
  private final PolicyIndex denyTcp;
  private final PolicyIndex allowHttp;
  private final PolicyIndex allowTcp;
  private final PolicyIndex auditHttp;
  private final PolicyIndex auditTcp;
  private final boolean readsHeaders;

  /** @param applicable the policies that apply to the workload, in evaluation order */
  public Authorizer(List<CompiledPolicy> applicable) {
    List<CompiledPolicy> d = new ArrayList<>();
    List<CompiledPolicy> a = new ArrayList<>();
    List<CompiledPolicy> u = new ArrayList<>();
    for (CompiledPolicy p : applicable) {
      switch (p.action()) {
        case DENY -> d.add(p);
        case ALLOW -> a.add(p);
        case AUDIT -> u.add(p);
      }
    }
    deny = d.toArray(new CompiledPolicy[0]);
    allow = a.toArray(new CompiledPolicy[0]);
    audit = u.toArray(new CompiledPolicy[0]);
    denyHttp = new PolicyIndex(deny, true);
    denyTcp = new PolicyIndex(deny, false);
    allowHttp = new PolicyIndex(allow, true);
    allowTcp = new PolicyIndex(allow, false);
    auditHttp = new PolicyIndex(audit, true);
    auditTcp = new PolicyIndex(audit, false);
    readsHeaders = applicable.stream().anyMatch(CompiledPolicy::readsHeaders);
  }

  /**
   * Whether any policy compares a request header, so that a caller may skip collecting headers into
   * the {@link Request} when none does.
   */
  public boolean readsHeaders() {
    return readsHeaders;
  }

  /** Decides one request. Pure: no I/O, no shared mutable state. */
  public AuthzDecision authorize(Request request) {
    EvalContext c = new EvalContext(request);
    AuthzDecision d = decide(c);
    if (audit.length == 0) {
      return d;
    }
    List<RuleMatch> audits = audits(c);
    return audits.isEmpty() ? d : new AuthzDecision(d.allowed(), d.reason(), d.decidedBy(), audits);
  }

  private AuthzDecision decide(EvalContext c) {
    CompiledRule denied = (c.http ? denyHttp : denyTcp).firstMatch(c);
    if (denied != null) {
      return denied.deniedBy;
    }
    if (allow.length == 0) {
      return NO_ALLOW_POLICY;
    }
    CompiledRule allowed = (c.http ? allowHttp : allowTcp).firstMatch(c);
    return allowed != null ? allowed.allowedBy : NO_ALLOW_MATCHED;
  }

  private List<RuleMatch> audits(EvalContext c) {
    List<CompiledRule> matched = new ArrayList<>(2);
    (c.http ? auditHttp : auditTcp).allMatches(c, matched);
    return matched.isEmpty() ? List.of() : matched.stream().map(r -> r.match).toList();
  }

  /**
   * Decides one request by evaluating every policy in order, without the index: the reference the
   * indexed {@link #authorize} is tested against.
   */
  AuthzDecision authorizeByScan(Request request) {
    EvalContext c = new EvalContext(request);
    AuthzDecision d = scanDecide(c);
    if (audit.length == 0) {
      return d;
    }
    List<RuleMatch> audits = scanAudits(c);
    return audits.isEmpty() ? d : new AuthzDecision(d.allowed(), d.reason(), d.decidedBy(), audits);
  }

  private AuthzDecision scanDecide(EvalContext c) {
    for (CompiledPolicy p : deny) {
      CompiledRule r = p.firstMatch(c);
      if (r != null) {
        return r.deniedBy;
      }
    }
    if (allow.length == 0) {
      return NO_ALLOW_POLICY;
    }
    for (CompiledPolicy p : allow) {
      CompiledRule r = p.firstMatch(c);
      if (r != null) {
        return r.allowedBy;
      }
    }
    return NO_ALLOW_MATCHED;
  }

  private List<RuleMatch> scanAudits(EvalContext c) {
    List<RuleMatch> out = null;
    for (CompiledPolicy p : audit) {
      CompiledRule r = p.firstMatch(c);
      if (r != null) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(r.match);
      }
    }
    return out == null ? List.of() : out;
  }

  /** How many policies of each action apply, for logs: {@code deny=1 allow=2 audit=0}. */
  @Override
  public String toString() {
    return "deny=" + deny.length + " allow=" + allow.length + " audit=" + audit.length;
  }
}
