package dev.meshid.policies.egress;

import dev.meshid.policies.EgressDecision;
import dev.meshid.policies.Workload;
import dev.meshid.policies.model.ResourceMeta;
import dev.meshid.policies.model.SidecarResource;
import dev.meshid.policies.model.SidecarResource.EgressListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The Sidecar egress host list of one workload. The Sidecar is chosen like PeerAuthentication: one
 * selecting the workload in its namespace, else the namespace's one without selector, else the
 * root namespace's one without selector; the oldest of several. No Sidecar, or one without
 * {@code egress}, restricts nothing. A listener for the destination port replaces the port-less
 * listeners for that port.
 */
public final class EgressTable {
  private final SidecarResource sidecar;
  private final List<Listener> listeners;

  private record Listener(Integer port, List<HostPattern> hosts) {}

  private EgressTable(SidecarResource sidecar, List<Listener> listeners) {
    this.sidecar = sidecar;
    this.listeners = listeners;
  }

  /** Picks and compiles the Sidecar for {@code w}. */
  public static EgressTable resolve(List<SidecarResource> all, Workload w, String rootNamespace) {
    Optional<SidecarResource> chosen = oldest(all, s -> s.meta().namespace().equals(w.namespace())
        && s.hasSelector() && w.matches(s.selector()))
        .or(() -> oldest(all, s -> s.meta().namespace().equals(w.namespace()) && !s.hasSelector()))
        .or(() -> oldest(all, s -> s.meta().namespace().equals(rootNamespace) && !s.hasSelector()));
    if (chosen.isEmpty()) {
      return new EgressTable(null, List.of());
    }
    SidecarResource s = chosen.get();
    List<Listener> listeners = new ArrayList<>();
    for (EgressListener l : s.egress()) {
      listeners.add(new Listener(l.port(),
          l.hosts().stream().map(h -> HostPattern.parse(h, s.meta().namespace())).toList()));
    }
    return new EgressTable(s, List.copyOf(listeners));
  }

  /** Whether {@code host} in {@code hostNamespace} (null if none) on {@code port} is listed. */
  public EgressDecision decide(String hostNamespace, String host, int port) {
    if (sidecar == null) {
      return new EgressDecision(true, null, null);
    }
    boolean listed = listeners.isEmpty() || listed(hostNamespace, host, port);
    return new EgressDecision(listed, sidecar.meta().ref(), sidecar.outboundTrafficPolicy());
  }

  private boolean listed(String hostNamespace, String host, int port) {
    boolean portSpecific = listeners.stream().anyMatch(l -> l.port() != null && l.port() == port);
    for (Listener l : listeners) {
      boolean applies = portSpecific ? l.port() != null && l.port() == port : l.port() == null;
      if (applies && l.hosts().stream().anyMatch(h -> h.matches(hostNamespace, host))) {
        return true;
      }
    }
    return false;
  }

  private static Optional<SidecarResource> oldest(List<SidecarResource> all, Predicate<SidecarResource> level) {
    return all.stream().filter(level).min(Comparator.comparing(SidecarResource::meta, ResourceMeta::oldestFirst));
  }
}
