package dev.meshid.policies;

/**
 * Whether a destination host is in the workload's Sidecar egress host list. Whether a host outside
 * the list is refused is the caller's concern ({@link OutboundTrafficPolicy}).
 *
 * @param inHostList true when the host is listed, or when no Sidecar restricts egress
 * @param sidecar the Sidecar that applied, or null when none does
 * @param outboundTrafficPolicy the Sidecar's {@code outboundTrafficPolicy.mode}, or null when it
 *     does not set one (then the mesh default applies)
 */
public record EgressDecision(boolean inHostList, PolicyRef sidecar, OutboundTrafficPolicy outboundTrafficPolicy) {

  /** Whether to let the connection through, given the mesh-wide default policy. */
  public boolean allowed(OutboundTrafficPolicy meshDefault) {
    OutboundTrafficPolicy effective = outboundTrafficPolicy != null ? outboundTrafficPolicy : meshDefault;
    return inHostList || effective == OutboundTrafficPolicy.ALLOW_ANY;
  }
}
