package dev.meshid.policies.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.policies.AuthzDecision;
import dev.meshid.policies.Request;
import dev.meshid.policies.model.AuthorizationPolicyResource;
import dev.meshid.policies.yaml.PolicyYamlLoader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The indexed evaluation against a full scan of the same policies, on random policy sets and
 * random requests drawn from small value pools so that exact, prefix, suffix and presence values,
 * negations and the HTTP/TCP split all collide often.
 */
class IndexedAuthorizerTest {
  private static final String[] PRINCIPALS = {
      "cluster.local/ns/a/sa/x", "cluster.local/ns/a/sa/y", "cluster.local/ns/b/sa/x", "other/ns/c/sa/z"};
  private static final String[] PRINCIPAL_VALUES = {
      "cluster.local/ns/a/sa/x", "cluster.local/ns/b/sa/x", "cluster.local/*", "*/sa/x", "*", "other/*",
      "*/ns/c/sa/z", "cluster.local/ns/a/sa/"};
  private static final String[] NAMESPACES = {"a", "b", "c", "a*", "*", "*c"};
  private static final String[] PATHS = {"/", "/a", "/a/b", "/a/bc", "/b/c", "/admin/x"};
  private static final String[] PATH_VALUES = {"/a", "/a/*", "*/c", "*", "/admin/*", "/a/b", "/b*"};
  private static final String[] METHODS = {"GET", "POST", "HEAD"};
  private static final String[] METHOD_VALUES = {"GET", "POST", "G*", "*"};
  private static final String[] HOSTS = {"details", "Details:9080", "reviews.default.svc"};
  private static final String[] HOST_VALUES = {"details", "*.svc", "rev*", "*"};

  private final SplittableRandom random = new SplittableRandom(20261122L);
  private final PolicyYamlLoader loader = new PolicyYamlLoader();

  @Test
  void authorize_randomPoliciesAndRequests_sameDecisionAsFullScan() {
    Set<AuthzDecision.Reason> reasons = EnumSet.noneOf(AuthzDecision.Reason.class);
    int withAudits = 0;
    int readingHeaders = 0;
    for (int round = 0; round < 300; round++) {
      Authorizer authorizer = new Authorizer(policies(1 + random.nextInt(40)));
      for (int i = 0; i < 100; i++) {
        Request request = request();
        AuthzDecision indexed = authorizer.authorize(request);
        AuthzDecision scanned = authorizer.authorizeByScan(request);
        assertThat(indexed).as("round %d request %s with %s", round, request, authorizer).isEqualTo(scanned);
        if (!authorizer.readsHeaders()) {
          assertThat(authorizer.authorize(withoutHeaders(request))).as("headers ignored").isEqualTo(indexed);
        } else {
          readingHeaders++;
        }
        reasons.add(indexed.reason());
        withAudits += indexed.audits().isEmpty() ? 0 : 1;
      }
    }
    // The comparison means something only if the random sets reach every kind of outcome.
    assertThat(reasons).containsAll(EnumSet.allOf(AuthzDecision.Reason.class));
    assertThat(withAudits).isPositive();
    assertThat(readingHeaders).isPositive();
  }

  @Test
  void readsHeaders_onlyWhenAConditionNamesAHeader() {
    assertThat(new Authorizer(compile("{rules: [{when: [{key: \"request.headers[x-env]\", values: [prod]}]}]}"))
        .readsHeaders()).isTrue();
    assertThat(new Authorizer(compile("{rules: [{to: [{operation: {paths: [\"/a\"]}}]}]}")).readsHeaders()).isFalse();
  }

  private List<CompiledPolicy> compile(String spec) {
    String yaml = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {namespace: default, name: p}\n"
        + "spec: " + spec + "\n";
    return loader.parse(yaml, "one.yaml").stream().map(p -> PolicyCompiler.compile((AuthorizationPolicyResource) p)).toList();
  }

  private static Request withoutHeaders(Request r) {
    return new Request(r.protocol(), r.peerPrincipal(), r.sourceIp(), r.remoteIp(), r.destinationPort(), r.sni(),
        r.method(), r.path(), r.host(), null);
  }

  private List<CompiledPolicy> policies(int count) {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String action = pick("ALLOW", "ALLOW", "DENY", "AUDIT");
      yaml.append("apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {namespace: default, name: p")
          .append(i).append("}\nspec:\n  action: ").append(action).append('\n');
      int rules = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(3);
      if (rules > 0) {
        yaml.append("  rules:\n");
      }
      for (int r = 0; r < rules; r++) {
        yaml.append("  - ").append(rule()).append('\n');
      }
      yaml.append("---\n");
    }
    List<CompiledPolicy> out = new ArrayList<>();
    loader.parse(yaml.toString(), "random.yaml").forEach(p -> out.add(PolicyCompiler.compile((AuthorizationPolicyResource) p)));
    return out;
  }

  private String rule() {
    List<String> parts = new ArrayList<>();
    if (random.nextBoolean()) {
      parts.add("from: [" + alternatives(this::source) + "]");
    }
    if (random.nextBoolean()) {
      parts.add("to: [" + alternatives(this::operation) + "]");
    }
    if (random.nextInt(3) == 0) {
      String key = pick("source.principal", "source.namespace", "request.headers[x-env]", "source.ip");
      String values = key.equals("source.ip") ? "[10.0.0.0/8]"
          : key.equals("source.namespace") ? list(NAMESPACES) : key.equals("source.principal") ? list(PRINCIPAL_VALUES) : "[prod, dev*]";
      parts.add("when: [{key: \"" + key + "\", " + pick("values", "notValues") + ": " + values + "}]");
    }
    return "{" + String.join(", ", parts) + "}";
  }

  private String source() {
    List<String> fields = new ArrayList<>();
    maybe(fields, "principals", PRINCIPAL_VALUES);
    maybe(fields, "notPrincipals", PRINCIPAL_VALUES);
    maybe(fields, "namespaces", NAMESPACES);
    maybe(fields, "notNamespaces", NAMESPACES);
    if (random.nextInt(5) == 0) {
      fields.add("ipBlocks: [10.0.0.0/8]");
    }
    if (fields.isEmpty()) {
      fields.add("principals: " + list(PRINCIPAL_VALUES));
    }
    return "{source: {" + String.join(", ", fields) + "}}";
  }

  private String operation() {
    List<String> fields = new ArrayList<>();
    maybe(fields, "paths", PATH_VALUES);
    maybe(fields, "notPaths", PATH_VALUES);
    maybe(fields, "methods", METHOD_VALUES);
    maybe(fields, "notMethods", METHOD_VALUES);
    maybe(fields, "hosts", HOST_VALUES);
    if (random.nextInt(4) == 0) {
      fields.add("ports: [\"" + pick("9080", "8080") + "\"]");
    }
    if (fields.isEmpty()) {
      fields.add("paths: " + list(PATH_VALUES));
    }
    return "{operation: {" + String.join(", ", fields) + "}}";
  }

  private String alternatives(java.util.function.Supplier<String> one) {
    List<String> out = new ArrayList<>();
    for (int i = 1 + random.nextInt(2); i > 0; i--) {
      out.add(one.get());
    }
    return String.join(", ", out);
  }

  private void maybe(List<String> fields, String name, String[] pool) {
    if (random.nextInt(3) == 0) {
      fields.add(name + ": " + list(pool));
    }
  }

  private String list(String[] pool) {
    return random.ints(1 + random.nextInt(3), 0, pool.length).mapToObj(i -> "\"" + pool[i] + "\"")
        .distinct().collect(Collectors.joining(", ", "[", "]"));
  }

  private Request request() {
    Request.Builder b = Request.builder().port(random.nextBoolean() ? 9080 : 8080)
        .sourceIp(random.nextBoolean() ? "10.1.2.3" : "192.168.0.9");
    if (random.nextInt(5) != 0) {
      b.peer("spiffe://" + pick(PRINCIPALS));
    }
    if (random.nextInt(4) == 0) {
      return b.tcp().build();
    }
    b.method(pick(METHODS)).path(pick(PATHS) + (random.nextBoolean() ? "" : "?q=/a/c")).host(pick(HOSTS));
    if (random.nextBoolean()) {
      b.header("x-env", pick("prod", "dev1", "test"));
    }
    return b.build();
  }

  private String pick(String... values) {
    return values[random.nextInt(values.length)];
  }
}
