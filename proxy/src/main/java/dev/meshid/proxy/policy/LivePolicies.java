package dev.meshid.proxy.policy;

import dev.meshid.policies.PolicySet;
import dev.meshid.policies.Workload;
import dev.meshid.policies.WorkloadPolicies;
import java.util.Objects;

/**
 * The policies in force for this proxy's workload: one {@link WorkloadPolicies} resolved from the newest
 * good {@link PolicySet}, swapped in one step. The data path reads it once per connection or request.
 */
public final class LivePolicies {
  private final Workload workload;
  private volatile WorkloadPolicies current;
  private volatile PolicySet set;

  public LivePolicies(Workload workload, PolicySet initial) {
    this.workload = Objects.requireNonNull(workload, "workload");
    apply(initial);
  }

  public Workload workload() {
    return workload;
  }

  /** The policies for this workload now. */
  public WorkloadPolicies current() {
    return current;
  }

  /** The policy set in force. */
  public PolicySet set() {
    return set;
  }

  /** Makes {@code next} the set in force. */
  public void apply(PolicySet next) {
    WorkloadPolicies resolved = next.forWorkload(workload);
    this.set = next;
    this.current = resolved;
  }
}
