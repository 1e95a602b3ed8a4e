package dev.meshid.policies.yaml;

import dev.meshid.policies.OutboundTrafficPolicy;
import dev.meshid.policies.egress.HostPattern;
import dev.meshid.policies.model.ResourceMeta;
import dev.meshid.policies.model.SidecarResource;
import dev.meshid.policies.model.SidecarResource.EgressListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Sidecar {@code spec}. meshid enforces only the egress host list; {@code ingress} and the
 * connection-pool settings are accepted and not used, since they shape Envoy listeners meshid does
 * not have.
 */
final class SidecarReader {
  private static final List<String> SPEC = List.of("workloadSelector", "ingress", "egress",
      "outboundTrafficPolicy", "inboundConnectionPool");
  private static final List<String> EGRESS = List.of("port", "bind", "captureMode", "hosts");
  private static final List<String> PORT = List.of("number", "protocol", "name", "targetPort");

  private SidecarReader() {}

  static SidecarResource read(ResourceMeta meta, Node spec) {
    spec.object(SPEC);
    List<EgressListener> egress = new ArrayList<>();
    for (Node listener : spec.field("egress").list()) {
      listener.object(EGRESS);
      Node hostsNode = listener.field("hosts");
      List<String> hosts = hostsNode.strings();
      if (hosts.isEmpty()) {
        throw hostsNode.error("required: at least one <namespace>/<dns-name>");
      }
      for (int i = 0; i < hosts.size(); i++) {
        try {
          HostPattern.parse(hosts.get(i), meta.namespace());
        } catch (IllegalArgumentException e) {
          throw new FieldError(hostsNode.path + "[" + i + "]", e.getMessage());
        }
      }
      egress.add(new EgressListener(port(listener.field("port")), hosts));
    }
    return new SidecarResource(meta, Selectors.labels(spec.field("workloadSelector")), egress,
        outbound(spec.field("outboundTrafficPolicy")));
  }

  private static Integer port(Node port) {
    port.object(PORT);
    Node number = port.field("number");
    if (number.missing()) {
      return null;
    }
    if (!number.json.isInt() || number.json.intValue() < 1 || number.json.intValue() > 65535) {
      throw number.error("expected a port number from 1 to 65535, got " + number.json);
    }
    return number.json.intValue();
  }

  private static OutboundTrafficPolicy outbound(Node policy) {
    policy.object(List.of("mode", "egressProxy"));
    Node modeNode = policy.field("mode");
    String mode = modeNode.string();
    if (mode == null) {
      return null;
    }
    try {
      return OutboundTrafficPolicy.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw modeNode.error("unknown mode '" + mode + "' (expected REGISTRY_ONLY or ALLOW_ANY)");
    }
  }
}
