package dev.meshid.policies.authz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The policies of one action for one protocol, indexed so that a decision evaluates only the
 * policies a request could match rather than scanning all of them. Each policy is filed under one
 * guard: a string attribute (principal, path, namespace, method or SNI, in that order of
 * preference) that every one of its rules requires to match a positive value. Policies without
 * such a guard are always candidates; policies without rules for the protocol never are.
 * Candidates are evaluated in the original order, so the first match is the same as a full scan's.
 */
final class PolicyIndex {
  private static final Attribute[] PREFERENCE = {
      Attribute.PRINCIPAL, Attribute.PATH, Attribute.NAMESPACE, Attribute.METHOD, Attribute.SNI};

  private final CompiledPolicy[] policies;
  private final boolean http;
  private final long[] always;
  private final AttributeIndex[] indexes;

  PolicyIndex(CompiledPolicy[] policies, boolean http) {
    this.policies = policies;
    this.http = http;
    this.always = new long[(policies.length + 63) >>> 6];
    AttributeIndex.Builder[] builders = new AttributeIndex.Builder[PREFERENCE.length];
    for (int a = 0; a < PREFERENCE.length; a++) {
      builders[a] = new AttributeIndex.Builder(PREFERENCE[a], policies.length);
    }
    for (int i = 0; i < policies.length; i++) {
      CompiledRule[] rules = policies[i].rules(http);
      if (rules.length == 0) {
        continue;
      }
      file(i, rules, builders);
    }
    List<AttributeIndex> built = new ArrayList<>();
    for (AttributeIndex.Builder b : builders) {
      AttributeIndex index = b.build();
      if (index != null) {
        built.add(index);
      }
    }
    this.indexes = built.toArray(new AttributeIndex[0]);
  }

  private void file(int i, CompiledRule[] rules, AttributeIndex.Builder[] builders) {
    int presenceOnly = -1;
    for (int a = 0; a < PREFERENCE.length; a++) {
      List<StringMatcher> guard = policyGuard(rules, PREFERENCE[a]);
      if (guard == null) {
        continue;
      }
      if (guard.stream().noneMatch(m -> m.kind() == StringMatcher.Kind.PRESENT)) {
        builders[a].add(i, guard);
        return;
      }
      if (presenceOnly < 0) {
        presenceOnly = a;
      }
    }
    if (presenceOnly >= 0) {
      builders[presenceOnly].add(i, policyGuard(rules, PREFERENCE[presenceOnly]));
    } else {
      always[i >>> 6] |= 1L << i;
    }
  }

  /** The first rule of the first candidate policy that matches, or null. */
  CompiledRule firstMatch(EvalContext c) {
    long[] candidates = candidates(c);
    for (int w = 0; w < candidates.length; w++) {
      long bits = candidates[w];
      while (bits != 0) {
        int i = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        CompiledRule r = policies[i].firstMatch(c);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** Every matching policy's first matching rule, in policy order. */
  void allMatches(EvalContext c, List<CompiledRule> out) {
    long[] candidates = candidates(c);
    for (int w = 0; w < candidates.length; w++) {
      long bits = candidates[w];
      while (bits != 0) {
        int i = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        CompiledRule r = policies[i].firstMatch(c);
        if (r != null) {
          out.add(r);
        }
      }
    }
  }

  private long[] candidates(EvalContext c) {
    long[] out = always.clone();
    for (AttributeIndex index : indexes) {
      index.addCandidates(c, out);
    }
    return out;
  }

  // A policy matches only if one of its rules does, so its guard is the union of its rules' guards,
  // and it has one only if every rule has one.
  private static List<StringMatcher> policyGuard(CompiledRule[] rules, Attribute a) {
    List<StringMatcher> union = new ArrayList<>();
    for (CompiledRule r : rules) {
      List<StringMatcher> g = ruleGuard(r, a);
      if (g == null) {
        return null;
      }
      union.addAll(g);
    }
    return union;
  }

  // A rule's fields are ANDed: a positive field on the attribute in `when`, or in every alternative
  // of `from` or of `to`, is a condition the request must meet.
  private static List<StringMatcher> ruleGuard(CompiledRule r, Attribute a) {
    for (FieldMatcher f : r.when) {
      List<StringMatcher> g = fieldGuard(f, a);
      if (g != null) {
        return g;
      }
    }
    List<StringMatcher> g = alternativesGuard(r.from, a);
    return g != null ? g : alternativesGuard(r.to, a);
  }

  private static List<StringMatcher> alternativesGuard(FieldMatcher[][] alternatives, Attribute a) {
    if (alternatives.length == 0) {
      return null;
    }
    List<StringMatcher> union = new ArrayList<>();
    for (FieldMatcher[] conjunction : alternatives) {
      List<StringMatcher> found = null;
      for (FieldMatcher f : conjunction) {
        found = fieldGuard(f, a);
        if (found != null) {
          break;
        }
      }
      if (found == null) {
        return null;
      }
      union.addAll(found);
    }
    return union;
  }

  private static List<StringMatcher> fieldGuard(FieldMatcher f, Attribute a) {
    if (f instanceof FieldMatcher.Strings s && s.attribute() == a && !s.negate()
        && Arrays.stream(s.values()).noneMatch(StringMatcher::ignoresCase)) {
      return List.of(s.values());
    }
    return null;
  }

  @Override
  public String toString() {
    return (http ? "http" : "tcp") + " index of " + policies.length;
  }
}
