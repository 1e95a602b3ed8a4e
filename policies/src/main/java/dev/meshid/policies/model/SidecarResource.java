package dev.meshid.policies.model;

import dev.meshid.policies.OutboundTrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The egress part of a Sidecar ({@code networking.istio.io}).
 *
 * @param meta metadata
 * @param selector {@code workloadSelector.labels}; empty for the namespace (or mesh) default
 * @param egress {@code egress[]}; empty means egress is not restricted
 * @param outboundTrafficPolicy {@code outboundTrafficPolicy.mode}, or null when not set
 */
public record SidecarResource(
    ResourceMeta meta, Map<String, String> selector, List<EgressListener> egress,
    OutboundTrafficPolicy outboundTrafficPolicy) implements PolicyResource {

  public SidecarResource {
    Objects.requireNonNull(meta, "meta");
    selector = selector == null ? Map.of() : Map.copyOf(selector);
    egress = egress == null ? List.of() : List.copyOf(egress);
  }

  /**
   * One {@code egress[]} listener.
   *
   * @param port {@code port.number}, or null for a listener on every port
   * @param hosts entries {@code <namespace>/<dns-name>}
   */
  public record EgressListener(Integer port, List<String> hosts) {
    public EgressListener {
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
  }
}
