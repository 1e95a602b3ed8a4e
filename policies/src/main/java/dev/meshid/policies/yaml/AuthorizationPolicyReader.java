package dev.meshid.policies.yaml;

import dev.meshid.policies.AuthzAction;
import dev.meshid.policies.authz.CidrBlock;
import dev.meshid.policies.authz.ConditionKey;
import dev.meshid.policies.authz.PolicyCompiler;
import dev.meshid.policies.model.AuthorizationPolicyResource;
import dev.meshid.policies.model.AuthorizationPolicyResource.Condition;
import dev.meshid.policies.model.AuthorizationPolicyResource.Operation;
import dev.meshid.policies.model.AuthorizationPolicyResource.Rule;
import dev.meshid.policies.model.AuthorizationPolicyResource.Source;
import dev.meshid.policies.model.ResourceMeta;
import java.util.List;
import java.util.function.Consumer;

/** Reads and checks an AuthorizationPolicy {@code spec}. */
final class AuthorizationPolicyReader {
  private static final List<String> SPEC = List.of("selector", "action", "rules", "provider", "targetRef", "targetRefs");
  private static final List<String> RULE = List.of("from", "to", "when");
  private static final List<String> SOURCE = List.of("principals", "notPrincipals", "requestPrincipals",
      "notRequestPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks",
      "notRemoteIpBlocks");
  private static final List<String> OPERATION = List.of("hosts", "notHosts", "ports", "notPorts", "methods",
      "notMethods", "paths", "notPaths");
  private static final List<String> CONDITION = List.of("key", "values", "notValues");

  private AuthorizationPolicyReader() {}

  static AuthorizationPolicyResource read(ResourceMeta meta, Node spec) {
    spec.object(SPEC);
    for (String unsupported : List.of("targetRef", "targetRefs")) {
      if (!spec.field(unsupported).missing()) {
        throw spec.field(unsupported).error("not supported by meshid (it enforces on sidecars; use selector)");
      }
    }
    AuthzAction action = action(spec.field("action"));
    if (!spec.field("provider").missing()) {
      throw spec.field("provider").error("only allowed with action CUSTOM, which meshid does not support");
    }
    List<Rule> rules = spec.field("rules").list().stream().map(AuthorizationPolicyReader::rule).toList();
    return new AuthorizationPolicyResource(meta, Selectors.matchLabels(spec.field("selector")), action, rules);
  }

  private static AuthzAction action(Node n) {
    String s = n.string();
    if (s == null) {
      return AuthzAction.ALLOW;
    }
    if (s.equals("CUSTOM")) {
      throw n.error("CUSTOM is not supported by meshid (no external authorizer); use ALLOW, DENY or AUDIT");
    }
    try {
      return AuthzAction.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw n.error("unknown action '" + s + "' (expected one of ALLOW, DENY, AUDIT)");
    }
  }

  private static Rule rule(Node r) {
    r.object(RULE);
    List<Source> from = r.field("from").list().stream().map(f -> {
      f.object(List.of("source"));
      return source(nonEmpty(f.field("source")));
    }).toList();
    List<Operation> to = r.field("to").list().stream().map(t -> {
      t.object(List.of("operation"));
      return operation(nonEmpty(t.field("operation")));
    }).toList();
    List<Condition> when = r.field("when").list().stream().map(AuthorizationPolicyReader::condition).toList();
    return new Rule(from, to, when);
  }

  private static Source source(Node s) {
    s.object(SOURCE);
    return new Source(
        s.field("principals").strings(), s.field("notPrincipals").strings(),
        s.field("requestPrincipals").strings(), s.field("notRequestPrincipals").strings(),
        s.field("namespaces").strings(), s.field("notNamespaces").strings(),
        checked(s.field("ipBlocks"), CidrBlock::parse), checked(s.field("notIpBlocks"), CidrBlock::parse),
        checked(s.field("remoteIpBlocks"), CidrBlock::parse),
        checked(s.field("notRemoteIpBlocks"), CidrBlock::parse));
  }

  private static Operation operation(Node o) {
    o.object(OPERATION);
    return new Operation(
        o.field("hosts").strings(), o.field("notHosts").strings(),
        checked(o.field("ports"), PolicyCompiler::parsePort), checked(o.field("notPorts"), PolicyCompiler::parsePort),
        o.field("methods").strings(), o.field("notMethods").strings(),
        o.field("paths").strings(), o.field("notPaths").strings());
  }

  private static Condition condition(Node c) {
    c.object(CONDITION);
    Node keyNode = c.field("key");
    String key = keyNode.requiredString();
    ConditionKey parsed;
    try {
      parsed = ConditionKey.parse(key);
    } catch (IllegalArgumentException e) {
      throw keyNode.error(e.getMessage());
    }
    Consumer<String> check = switch (parsed.kind()) {
      case SOURCE_IP, REMOTE_IP -> CidrBlock::parse;
      case DESTINATION_PORT -> PolicyCompiler::parsePort;
      default -> v -> { };
    };
    List<String> values = checked(c.field("values"), check);
    List<String> notValues = checked(c.field("notValues"), check);
    if (values.isEmpty() && notValues.isEmpty()) {
      throw c.error("must set values or notValues");
    }
    return new Condition(key, values, notValues);
  }

  private static Node nonEmpty(Node n) {
    if (n.missing() || n.json.isObject() && n.json.isEmpty()) {
      throw n.error("must not be empty");
    }
    return n;
  }

  // Each value is checked by the compiler's own parser, so loading and compiling agree.
  private static List<String> checked(Node field, Consumer<String> parser) {
    List<String> values = field.strings();
    for (int i = 0; i < values.size(); i++) {
      try {
        parser.accept(values.get(i));
      } catch (IllegalArgumentException e) {
        throw new FieldError(field.path + "[" + i + "]", e.getMessage());
      }
    }
    return values;
  }
}
