package dev.meshid.policies.model;

import dev.meshid.policies.AuthzAction;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An AuthorizationPolicy ({@code security.istio.io}).
 *
 * @param meta metadata
 * @param selector {@code selector.matchLabels}; empty for namespace- or mesh-wide policies
 * @param action ALLOW (the default), DENY or AUDIT
 * @param rules {@code spec.rules}; empty means the policy matches nothing
 */
public record AuthorizationPolicyResource(
    ResourceMeta meta, Map<String, String> selector, AuthzAction action, List<Rule> rules)
    implements PolicyResource {

  public AuthorizationPolicyResource {
    Objects.requireNonNull(meta, "meta");
    selector = selector == null ? Map.of() : Map.copyOf(selector);
    action = action == null ? AuthzAction.ALLOW : action;
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /**
   * One rule: some {@code from} AND some {@code to} AND every {@code when}; an empty list matches.
   *
   * @param from sources
   * @param to operations
   * @param when conditions
   */
  public record Rule(List<Source> from, List<Operation> to, List<Condition> when) {
    public Rule {
      from = from == null ? List.of() : List.copyOf(from);
      to = to == null ? List.of() : List.copyOf(to);
      when = when == null ? List.of() : List.copyOf(when);
    }
  }

  /** {@code from[].source}: every non-empty field must match; values within a field are ORed. */
  public record Source(
      List<String> principals, List<String> notPrincipals,
      List<String> requestPrincipals, List<String> notRequestPrincipals,
      List<String> namespaces, List<String> notNamespaces,
      List<String> ipBlocks, List<String> notIpBlocks,
      List<String> remoteIpBlocks, List<String> notRemoteIpBlocks) {
    public Source {
      principals = copy(principals);
      notPrincipals = copy(notPrincipals);
      requestPrincipals = copy(requestPrincipals);
      notRequestPrincipals = copy(notRequestPrincipals);
      namespaces = copy(namespaces);
      notNamespaces = copy(notNamespaces);
      ipBlocks = copy(ipBlocks);
      notIpBlocks = copy(notIpBlocks);
      remoteIpBlocks = copy(remoteIpBlocks);
      notRemoteIpBlocks = copy(notRemoteIpBlocks);
    }
  }

  /** {@code to[].operation}: every non-empty field must match; values within a field are ORed. */
  public record Operation(
      List<String> hosts, List<String> notHosts,
      List<String> ports, List<String> notPorts,
      List<String> methods, List<String> notMethods,
      List<String> paths, List<String> notPaths) {
    public Operation {
      hosts = copy(hosts);
      notHosts = copy(notHosts);
      ports = copy(ports);
      notPorts = copy(notPorts);
      methods = copy(methods);
      notMethods = copy(notMethods);
      paths = copy(paths);
      notPaths = copy(notPaths);
    }
  }

  /**
   * {@code when[]}: the attribute {@code key} must match one of {@code values} (if any) and none of
   * {@code notValues} (if any).
   */
  public record Condition(String key, List<String> values, List<String> notValues) {
    public Condition {
      Objects.requireNonNull(key, "key");
      values = copy(values);
      notValues = copy(notValues);
    }
  }

  private static List<String> copy(List<String> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
