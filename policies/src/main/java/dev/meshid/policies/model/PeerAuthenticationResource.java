package dev.meshid.policies.model;

import dev.meshid.policies.MtlsMode;
import java.util.Map;
import java.util.Objects;

/**
 * A PeerAuthentication ({@code security.istio.io}).
 *
 * @param meta metadata
 * @param selector {@code selector.matchLabels}; empty for namespace- or mesh-wide policies
 * @param mode {@code mtls.mode}; UNSET when absent
 * @param portLevelMtls port to mode; only allowed with a selector
 */
public record PeerAuthenticationResource(
    ResourceMeta meta, Map<String, String> selector, MtlsMode mode, Map<Integer, MtlsMode> portLevelMtls)
    implements PolicyResource {

  public PeerAuthenticationResource {
    Objects.requireNonNull(meta, "meta");
    selector = selector == null ? Map.of() : Map.copyOf(selector);
    mode = mode == null ? MtlsMode.UNSET : mode;
    portLevelMtls = portLevelMtls == null ? Map.of() : Map.copyOf(portLevelMtls);
    if (selector.isEmpty() && !portLevelMtls.isEmpty()) {
      throw new IllegalArgumentException("portLevelMtls requires a workload selector");
    }
  }
}
