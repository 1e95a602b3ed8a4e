package dev.meshid.policies.authz;

import dev.meshid.policies.AuthzAction;
import dev.meshid.policies.RuleMatch;
import dev.meshid.policies.model.AuthorizationPolicyResource;
import dev.meshid.policies.model.AuthorizationPolicyResource.Condition;
import dev.meshid.policies.model.AuthorizationPolicyResource.Operation;
import dev.meshid.policies.model.AuthorizationPolicyResource.Rule;
import dev.meshid.policies.model.AuthorizationPolicyResource.Source;
import java.util.ArrayList;
import java.util.List;

/** Compiles AuthorizationPolicy records to matchers; all parsing of values happens here. */
public final class PolicyCompiler {
  private static final FieldMatcher[] NONE = new FieldMatcher[0];

  private PolicyCompiler() {}

  /**
   * Compiles one policy.
   *
   * @throws IllegalArgumentException for a value that does not parse (the loaders check first, with
   *     field paths, so this only fires for records built by hand)
   */
  public static CompiledPolicy compile(AuthorizationPolicyResource p) {
    List<CompiledRule> http = new ArrayList<>();
    List<CompiledRule> tcp = new ArrayList<>();
    for (int i = 0; i < p.rules().size(); i++) {
      Rule rule = p.rules().get(i);
      RuleMatch match = new RuleMatch(p.meta().ref(), i);
      List<FieldMatcher> when = new ArrayList<>();
      for (Condition c : rule.when()) {
        addCondition(c, when);
      }
      List<List<FieldMatcher>> from = rule.from().stream().map(PolicyCompiler::source).toList();
      List<List<FieldMatcher>> to = rule.to().stream().map(PolicyCompiler::operation).toList();
      http.add(new CompiledRule(match, array2(from), array2(to), when.toArray(NONE)));
      boolean usesHttp = from.stream().flatMap(List::stream).anyMatch(FieldMatcher::httpOnly)
          || to.stream().flatMap(List::stream).anyMatch(FieldMatcher::httpOnly)
          || when.stream().anyMatch(FieldMatcher::httpOnly);
      if (!usesHttp) {
        tcp.add(http.get(http.size() - 1));
      } else if (p.action() == AuthzAction.DENY) {
        // Istio: on TCP a DENY rule ignores HTTP-only fields, so it denies more, never less.
        tcp.add(new CompiledRule(match, widen(from), widen(to), tcpOnly(when)));
      }
      // ALLOW and AUDIT rules with HTTP-only fields never match TCP: narrower, never wider.
    }
    return new CompiledPolicy(p.meta().ref(), p.selector(), p.action(),
        http.toArray(new CompiledRule[0]), tcp.toArray(new CompiledRule[0]));
  }

  /**
   * Parses a port value ({@code ports}, {@code destination.port}).
   *
   * @throws IllegalArgumentException unless it is a number from 1 to 65535
   */
  public static int parsePort(String value) {
    if (!value.matches("\\d{1,5}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 65535) {
      throw new IllegalArgumentException("invalid port '" + value + "' (expected a number from 1 to 65535)");
    }
    return Integer.parseInt(value);
  }

  /**
   * Compiles one condition's values or notValues; also the loaders' check of a condition.
   *
   * @throws IllegalArgumentException for an unsupported key or a value that does not parse
   */
  public static FieldMatcher condition(String key, List<String> values, boolean negate) {
    ConditionKey k = ConditionKey.parse(key);
    return switch (k.kind()) {
      case SOURCE_IP -> new FieldMatcher.Cidrs(false, cidrs(values), negate);
      case REMOTE_IP -> new FieldMatcher.Cidrs(true, cidrs(values), negate);
      case DESTINATION_PORT -> new FieldMatcher.Ports(ports(values), negate);
      case SOURCE_NAMESPACE -> strings(Attribute.NAMESPACE, null, values, negate);
      case SOURCE_PRINCIPAL -> strings(Attribute.PRINCIPAL, null, values, negate);
      case CONNECTION_SNI -> strings(Attribute.SNI, null, values, negate);
      case REQUEST_HEADER -> strings(Attribute.HEADER, k.headerName(), values, negate);
      case REQUEST_AUTH -> new FieldMatcher.Absent(key, negate);
    };
  }

  private static void addCondition(Condition c, List<FieldMatcher> out) {
    if (!c.values().isEmpty()) {
      out.add(condition(c.key(), c.values(), false));
    }
    if (!c.notValues().isEmpty()) {
      out.add(condition(c.key(), c.notValues(), true));
    }
  }

  private static List<FieldMatcher> source(Source s) {
    List<FieldMatcher> out = new ArrayList<>();
    addStrings(out, Attribute.PRINCIPAL, s.principals(), s.notPrincipals());
    if (!s.requestPrincipals().isEmpty()) {
      out.add(new FieldMatcher.Absent("requestPrincipals", false));
    }
    if (!s.notRequestPrincipals().isEmpty()) {
      out.add(new FieldMatcher.Absent("notRequestPrincipals", true));
    }
    addStrings(out, Attribute.NAMESPACE, s.namespaces(), s.notNamespaces());
    addCidrs(out, false, s.ipBlocks(), s.notIpBlocks());
    addCidrs(out, true, s.remoteIpBlocks(), s.notRemoteIpBlocks());
    return out;
  }

  private static List<FieldMatcher> operation(Operation o) {
    List<FieldMatcher> out = new ArrayList<>();
    addStrings(out, Attribute.HOST, o.hosts(), o.notHosts());
    if (!o.ports().isEmpty()) {
      out.add(new FieldMatcher.Ports(ports(o.ports()), false));
    }
    if (!o.notPorts().isEmpty()) {
      out.add(new FieldMatcher.Ports(ports(o.notPorts()), true));
    }
    addStrings(out, Attribute.METHOD, o.methods(), o.notMethods());
    addStrings(out, Attribute.PATH, o.paths(), o.notPaths());
    return out;
  }

  private static void addStrings(List<FieldMatcher> out, Attribute a, List<String> in, List<String> notIn) {
    if (!in.isEmpty()) {
      out.add(strings(a, null, in, false));
    }
    if (!notIn.isEmpty()) {
      out.add(strings(a, null, notIn, true));
    }
  }

  private static void addCidrs(List<FieldMatcher> out, boolean remote, List<String> in, List<String> notIn) {
    if (!in.isEmpty()) {
      out.add(new FieldMatcher.Cidrs(remote, cidrs(in), false));
    }
    if (!notIn.isEmpty()) {
      out.add(new FieldMatcher.Cidrs(remote, cidrs(notIn), true));
    }
  }

  private static FieldMatcher strings(Attribute a, String header, List<String> values, boolean negate) {
    boolean ignoreCase = a == Attribute.HOST;
    StringMatcher[] m = values.stream().map(v -> StringMatcher.compile(v, ignoreCase)).toArray(StringMatcher[]::new);
    return new FieldMatcher.Strings(a, header, m, negate);
  }

  private static CidrBlock[] cidrs(List<String> values) {
    return values.stream().map(CidrBlock::parse).toArray(CidrBlock[]::new);
  }

  private static int[] ports(List<String> values) {
    return values.stream().mapToInt(PolicyCompiler::parsePort).toArray();
  }

  private static FieldMatcher[][] array2(List<List<FieldMatcher>> lists) {
    return lists.stream().map(l -> l.toArray(NONE)).toArray(FieldMatcher[][]::new);
  }

  // A source or operation left empty after dropping HTTP fields matches anything, and so does the
  // whole from/to list then.
  private static FieldMatcher[][] widen(List<List<FieldMatcher>> lists) {
    List<FieldMatcher[]> out = new ArrayList<>();
    for (List<FieldMatcher> conjunction : lists) {
      FieldMatcher[] kept = tcpOnly(conjunction);
      if (kept.length == 0) {
        return new FieldMatcher[0][];
      }
      out.add(kept);
    }
    return out.toArray(new FieldMatcher[0][]);
  }

  private static FieldMatcher[] tcpOnly(List<FieldMatcher> fields) {
    return fields.stream().filter(f -> !f.httpOnly()).toArray(FieldMatcher[]::new);
  }
}
