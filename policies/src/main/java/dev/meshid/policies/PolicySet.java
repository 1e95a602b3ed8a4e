package dev.meshid.policies;

import dev.meshid.policies.authz.Authorizer;
import dev.meshid.policies.authz.CompiledPolicy;
import dev.meshid.policies.authz.PolicyCompiler;
import dev.meshid.policies.egress.EgressTable;
import dev.meshid.policies.model.AuthorizationPolicyResource;
import dev.meshid.policies.model.PeerAuthenticationResource;
import dev.meshid.policies.model.PolicyResource;
import dev.meshid.policies.model.ResourceMeta;
import dev.meshid.policies.model.SidecarResource;
import dev.meshid.policies.mtls.MtlsTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of loaded policies, compiled for evaluation. A new set replaces the old one
 * in one step (hold it in a {@code volatile} field or an {@code AtomicReference}). Per-workload
 * views are resolved on first use and cached inside the snapshot.
 */
public final class PolicySet {
  /** Istio's default root namespace, whose policies without selector apply mesh-wide. */
  public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";
  // The proxy asks about one workload; a tool may ask about many. Don't let a cache grow unbounded.
  private static final int MAX_CACHED_VIEWS = 1024;

  private final String rootNamespace;
  private final List<PolicyResource> resources;
  private final List<PeerAuthenticationResource> peerAuthentications = new ArrayList<>();
  private final List<SidecarResource> sidecars = new ArrayList<>();
  private final Map<String, List<CompiledPolicy>> authzByNamespace = new HashMap<>();
  private final Map<Workload, WorkloadPolicies> views = new ConcurrentHashMap<>();

  private PolicySet(Collection<? extends PolicyResource> resources, String rootNamespace) {
    this.rootNamespace = rootNamespace;
    this.resources = List.copyOf(resources);
    Map<String, ResourceMeta> seen = new HashMap<>();
    List<AuthorizationPolicyResource> authz = new ArrayList<>();
    for (PolicyResource r : this.resources) {
      ResourceMeta m = r.meta();
      ResourceMeta before = seen.put(m.kind() + " " + m.namespace() + "/" + m.name(), m);
      if (before != null) {
        throw new IllegalArgumentException("duplicate " + m.ref() + " (in " + before.origin() + " and " + m.origin() + ")");
      }
      if (r instanceof PeerAuthenticationResource p) {
        peerAuthentications.add(p);
      } else if (r instanceof SidecarResource s) {
        sidecars.add(s);
      } else if (r instanceof AuthorizationPolicyResource a) {
        authz.add(a);
      }
    }
    authz.sort(Comparator.comparing((AuthorizationPolicyResource a) -> a.meta().name()));
    for (AuthorizationPolicyResource a : authz) {
      authzByNamespace.computeIfAbsent(a.meta().namespace(), k -> new ArrayList<>()).add(PolicyCompiler.compile(a));
    }
  }

  /** A set in the default root namespace {@value #DEFAULT_ROOT_NAMESPACE}. */
  public static PolicySet of(Collection<? extends PolicyResource> resources) {
    return of(resources, DEFAULT_ROOT_NAMESPACE);
  }

  /**
   * Compiles a set.
   *
   * @throws IllegalArgumentException for duplicates or values that do not compile
   */
  public static PolicySet of(Collection<? extends PolicyResource> resources, String rootNamespace) {
    return new PolicySet(resources, rootNamespace);
  }

  /** No policies: everything allowed, PERMISSIVE, egress unrestricted. */
  public static PolicySet empty() {
    return of(List.of());
  }

  public String rootNamespace() {
    return rootNamespace;
  }

  /** The resources this set was built from. */
  public List<PolicyResource> resources() {
    return resources;
  }

  /** The policies that apply to {@code w}, resolved once per workload and snapshot. */
  public WorkloadPolicies forWorkload(Workload w) {
    WorkloadPolicies v = views.get(w);
    if (v == null) {
      v = resolve(w);
      if (views.size() < MAX_CACHED_VIEWS) {
        views.putIfAbsent(w, v);
      }
    }
    return v;
  }

  /** Shorthand for {@code forWorkload(w).authorize(request)}. */
  public AuthzDecision authorize(Workload w, Request request) {
    return forWorkload(w).authorize(request);
  }

  /** Shorthand for {@code forWorkload(w).peerAuthentication(port)}. */
  public MtlsDecision peerAuthentication(Workload w, int port) {
    return forWorkload(w).peerAuthentication(port);
  }

  /** Shorthand for {@code forWorkload(w).egress(hostNamespace, host, port)}. */
  public EgressDecision egress(Workload w, String hostNamespace, String host, int port) {
    return forWorkload(w).egress(hostNamespace, host, port);
  }

  private WorkloadPolicies resolve(Workload w) {
    // Root-namespace policies apply in every namespace (a selector still narrows them); the
    // workload's own namespace's policies apply to it.
    List<CompiledPolicy> applicable = new ArrayList<>();
    for (String ns : w.namespace().equals(rootNamespace) ? List.of(rootNamespace) : List.of(rootNamespace, w.namespace())) {
      for (CompiledPolicy p : authzByNamespace.getOrDefault(ns, List.of())) {
        if (w.matches(p.selector())) {
          applicable.add(p);
        }
      }
    }
    return new WorkloadPolicies(w, new Authorizer(applicable),
        MtlsTable.resolve(peerAuthentications, w, rootNamespace),
        EgressTable.resolve(sidecars, w, rootNamespace));
  }

  @Override
  public String toString() {
    return "PolicySet[" + resources.size() + " resources, root " + rootNamespace + "]";
  }
}
