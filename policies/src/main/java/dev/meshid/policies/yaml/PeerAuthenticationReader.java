package dev.meshid.policies.yaml;

import dev.meshid.policies.MtlsMode;
import dev.meshid.policies.authz.PolicyCompiler;
import dev.meshid.policies.model.PeerAuthenticationResource;
import dev.meshid.policies.model.ResourceMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and checks a PeerAuthentication {@code spec}. */
final class PeerAuthenticationReader {
  private PeerAuthenticationReader() {}

  static PeerAuthenticationResource read(ResourceMeta meta, Node spec) {
    spec.object(List.of("selector", "mtls", "portLevelMtls"));
    Map<String, String> selector = Selectors.matchLabels(spec.field("selector"));
    MtlsMode mode = mtls(spec.field("mtls"));
    Node portsNode = spec.field("portLevelMtls");
    Map<Integer, MtlsMode> ports = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : portsNode.entries().entrySet()) {
      int port;
      try {
        port = PolicyCompiler.parsePort(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw e.getValue().error(ex.getMessage());
      }
      ports.put(port, mtls(e.getValue()));
    }
    if (!ports.isEmpty() && selector.isEmpty()) {
      throw portsNode.error("portLevelMtls requires a workload selector (spec.selector.matchLabels)");
    }
    return new PeerAuthenticationResource(meta, selector, mode, ports);
  }

  private static MtlsMode mtls(Node mtls) {
    mtls.object(List.of("mode"));
    Node modeNode = mtls.field("mode");
    String mode = modeNode.string();
    if (mode == null) {
      return MtlsMode.UNSET;
    }
    try {
      return MtlsMode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw modeNode.error("unknown mode '" + mode + "' (expected one of UNSET, DISABLE, PERMISSIVE, STRICT)");
    }
  }
}
