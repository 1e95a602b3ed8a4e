package dev.meshid.policies.mtls;

import dev.meshid.policies.MtlsDecision;
import dev.meshid.policies.MtlsMode;
import dev.meshid.policies.Workload;
import dev.meshid.policies.model.PeerAuthenticationResource;
import dev.meshid.policies.model.ResourceMeta;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The effective PeerAuthentication of one workload, resolved once: workload level (selector) over
 * namespace level over mesh level (root namespace); UNSET inherits from the next level; nothing set
 * means PERMISSIVE; several at one level, the oldest wins.
 */
public final class MtlsTable {
  private static final MtlsDecision DEFAULT = new MtlsDecision(MtlsMode.PERMISSIVE, null);

  private final MtlsDecision workloadDecision;
  private final Map<Integer, MtlsDecision> ports;

  private MtlsTable(MtlsDecision workloadDecision, Map<Integer, MtlsDecision> ports) {
    this.workloadDecision = workloadDecision;
    this.ports = ports;
  }

  /** Resolves the table for {@code w} from all loaded PeerAuthentications. */
  public static MtlsTable resolve(List<PeerAuthenticationResource> all, Workload w, String rootNamespace) {
    Optional<PeerAuthenticationResource> workload = oldest(all, p -> p.meta().namespace().equals(w.namespace())
        && p.hasSelector() && w.matches(p.selector()));
    Optional<PeerAuthenticationResource> namespace = oldest(all, p -> p.meta().namespace().equals(w.namespace())
        && !p.hasSelector());
    Optional<PeerAuthenticationResource> mesh = oldest(all, p -> p.meta().namespace().equals(rootNamespace)
        && !p.hasSelector());

    MtlsDecision inherited = DEFAULT;
    for (Optional<PeerAuthenticationResource> level : List.of(mesh, namespace, workload)) {
      inherited = level.map(p -> p.mode() == MtlsMode.UNSET ? null : new MtlsDecision(p.mode(), p.meta().ref()))
          .orElse(inherited);
    }
    MtlsDecision base = inherited;
    Map<Integer, MtlsDecision> ports = new HashMap<>();
    workload.ifPresent(p -> p.portLevelMtls().forEach((port, mode) ->
        ports.put(port, mode == MtlsMode.UNSET ? base : new MtlsDecision(mode, p.meta().ref()))));
    return new MtlsTable(base, Map.copyOf(ports));
  }

  /** The decision for a destination port. */
  public MtlsDecision decide(int port) {
    MtlsDecision d = ports.get(port);
    return d != null ? d : workloadDecision;
  }

  private static Optional<PeerAuthenticationResource> oldest(
      List<PeerAuthenticationResource> all, Predicate<PeerAuthenticationResource> level) {
    return all.stream().filter(level)
        .min(Comparator.comparing(PeerAuthenticationResource::meta, ResourceMeta::oldestFirst));
  }
}
