package dev.meshid.policies;

import dev.meshid.policies.authz.Authorizer;
import dev.meshid.policies.egress.EgressTable;
import dev.meshid.policies.mtls.MtlsTable;

/**
 * Everything a {@link PolicySet} says about one workload, resolved once: the proxy keeps this for
 * its own workload and asks it per connection and request. Immutable and thread-safe.
 */
public final class WorkloadPolicies {
  private final Workload workload;
  private final Authorizer authorizer;
  private final MtlsTable mtls;
  private final EgressTable egress;

  WorkloadPolicies(Workload workload, Authorizer authorizer, MtlsTable mtls, EgressTable egress) {
    this.workload = workload;
    this.authorizer = authorizer;
    this.mtls = mtls;
    this.egress = egress;
  }

  public Workload workload() {
    return workload;
  }

  /** Applies the workload's AuthorizationPolicies to one request or connection. */
  public AuthzDecision authorize(Request request) {
    return authorizer.authorize(request);
  }

  /**
   * Whether any of the workload's AuthorizationPolicies compares request headers; when none does, a
   * caller may leave headers out of the {@link Request} and get the same decisions.
   */
  public boolean authorizationReadsHeaders() {
    return authorizer.readsHeaders();
  }

  /** The effective PeerAuthentication mode on {@code port}, and the policy that set it. */
  public MtlsDecision peerAuthentication(int port) {
    return mtls.decide(port);
  }

  /** Shorthand for {@code peerAuthentication(port).mode()}. */
  public MtlsMode mtlsMode(int port) {
    return mtls.decide(port).mode();
  }

  /**
   * Whether the workload's Sidecar egress host list includes a destination.
   *
   * @param hostNamespace the destination service's namespace, or null for hosts in none
   * @param host the destination host name, without a port
   * @param port the destination port
   */
  public EgressDecision egress(String hostNamespace, String host, int port) {
    return egress.decide(hostNamespace, host, port);
  }

  @Override
  public String toString() {
    return "WorkloadPolicies[" + workload + ", authz " + authorizer + "]";
  }
}
