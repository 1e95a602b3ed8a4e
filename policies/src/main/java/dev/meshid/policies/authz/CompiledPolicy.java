package dev.meshid.policies.authz;

import dev.meshid.policies.AuthzAction;
import dev.meshid.policies.PolicyRef;
import java.util.Map;

/**
 * An AuthorizationPolicy ready to evaluate, with one rule list for HTTP and one for TCP (where
 * HTTP-only fields narrow ALLOW and AUDIT rules away and widen DENY rules).
 */
public final class CompiledPolicy {
  private final PolicyRef ref;
  private final String namespace;
  private final Map<String, String> selector;
  private final AuthzAction action;
  private final CompiledRule[] httpRules;
  private final CompiledRule[] tcpRules;

  CompiledPolicy(PolicyRef ref, Map<String, String> selector, AuthzAction action,
      CompiledRule[] httpRules, CompiledRule[] tcpRules) {
    this.ref = ref;
    this.namespace = ref.namespace();
    this.selector = selector;
    this.action = action;
    this.httpRules = httpRules;
    this.tcpRules = tcpRules;
  }

  public PolicyRef ref() {
    return ref;
  }

  public String namespace() {
    return namespace;
  }

  public Map<String, String> selector() {
    return selector;
  }

  public AuthzAction action() {
    return action;
  }

  /** Whether any HTTP rule compares a request header. */
  boolean readsHeaders() {
    for (CompiledRule r : httpRules) {
      for (FieldMatcher f : r.when) {
        if (f instanceof FieldMatcher.Strings s && s.attribute() == Attribute.HEADER) {
          return true;
        }
      }
    }
    return false;
  }

  /** The rules evaluated for HTTP or for TCP traffic. */
  CompiledRule[] rules(boolean http) {
    return http ? httpRules : tcpRules;
  }

  /** The first rule that matches, or null. */
  CompiledRule firstMatch(EvalContext c) {
    for (CompiledRule r : c.http ? httpRules : tcpRules) {
      if (r.matches(c)) {
        return r;
      }
    }
    return null;
  }
}
