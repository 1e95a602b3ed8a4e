package dev.meshid.policies.bench;

import dev.meshid.policies.AuthzDecision;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.Request;
import dev.meshid.policies.Workload;
import dev.meshid.policies.WorkloadPolicies;
import dev.meshid.policies.yaml.PolicyYamlLoader;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One decision against 100 AuthorizationPolicies that all apply to the workload: 10 DENY that do
 * not match, 89 ALLOW that do not match, and the last ALLOW that does, so a full scan would
 * evaluate every policy (the index by principal leaves one candidate). Target: under 2 µs per
 * decision. Run with {@code policies/bench/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthorizeBenchmark {
  private static final Workload WORKLOAD = new Workload("default", Map.of("app", "details", "version", "v1"));

  private PolicySet set;
  private WorkloadPolicies view;
  private Request httpAllowed;
  private Request httpDenied;
  private Request tcp;

  @Setup
  public void setUp() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String action = i < 10 ? "DENY" : "ALLOW";
      String principal = i == 99 ? "cluster.local/ns/default/sa/bookinfo-productpage" : "cluster.local/ns/team" + i + "/sa/app";
      String path = i == 99 ? "/details/*" : "/api/v" + i + "/*";
      yaml.append("apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n")
          .append("metadata: {namespace: default, name: p").append(String.format("%03d", i)).append("}\n")
          .append("spec:\n  selector: {matchLabels: {app: details}}\n  action: ").append(action).append('\n')
          .append("  rules:\n  - from: [{source: {principals: [\"").append(principal)
          .append("\", \"*/sa/other").append(i).append("\"], notNamespaces: [blocked]}}]\n")
          .append("    to: [{operation: {methods: [GET, HEAD], paths: [\"").append(path).append("\"], ports: [\"9080\"]}}]\n")
          .append("    when: [{key: source.ip, values: [10.0.0.0/8]}]\n---\n");
    }
    set = PolicySet.of(new PolicyYamlLoader().parse(yaml.toString(), "bench.yaml"));
    view = set.forWorkload(WORKLOAD);
    httpAllowed = Request.builder().peer("spiffe://cluster.local/ns/default/sa/bookinfo-productpage")
        .sourceIp("10.1.2.3").port(9080).method("GET").path("/details/0?x=1").host("details:9080")
        .header("user-agent", "curl").build();
    httpDenied = Request.builder().peer("spiffe://cluster.local/ns/default/sa/reviews")
        .sourceIp("10.1.2.3").port(9080).method("GET").path("/details/0").build();
    tcp = Request.builder().tcp().peer("spiffe://cluster.local/ns/default/sa/bookinfo-productpage")
        .sourceIp("10.1.2.3").port(9080).build();
    if (!view.authorize(httpAllowed).allowed() || view.authorize(httpDenied).allowed()) {
      throw new IllegalStateException("benchmark policies do not decide as intended");
    }
  }

  /** The proxy's path: the workload view resolved once per snapshot. */
  @Benchmark
  public AuthzDecision httpAllowedLastPolicy() {
    return view.authorize(httpAllowed);
  }

  @Benchmark
  public AuthzDecision httpDeniedNoMatch() {
    return view.authorize(httpDenied);
  }

  @Benchmark
  public AuthzDecision tcpAllRulesDropped() {
    return view.authorize(tcp);
  }

  /** Through the snapshot's workload cache, as a caller without a kept view would. */
  @Benchmark
  public AuthzDecision viaPolicySetLookup() {
    return set.authorize(WORKLOAD, httpAllowed);
  }
}
