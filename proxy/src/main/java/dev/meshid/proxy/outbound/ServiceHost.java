package dev.meshid.proxy.outbound;

import java.util.Locale;

/**
 * A request's destination as the Sidecar egress list sees it: host name, its Kubernetes namespace, port.
 * Service names follow Kubernetes DNS: {@code name} (the caller's namespace), {@code name.ns},
 * {@code name.ns.svc}, {@code name.ns.svc.<cluster-domain>}; any other dotted name is external (no
 * namespace).
 *
 * @param host the host name, lower case, without port
 * @param namespace the service's namespace, or null for external hosts
 * @param port the port from the Host header, else 80
 */
public record ServiceHost(String host, String namespace, int port) {

  /**
   * Parses a Host header.
   *
   * @param ownNamespace the caller's namespace, for single-label names
   * @throws IllegalArgumentException for a missing or malformed Host
   */
  public static ServiceHost parse(String hostHeader, String ownNamespace) {
    if (hostHeader == null || hostHeader.isBlank()) {
      throw new IllegalArgumentException("missing Host header");
    }
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith(":")) {
      throw new IllegalArgumentException("no host name in Host header '" + hostHeader + "'");
    }
    int port = 80;
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon && (h.indexOf(':') == colon || h.startsWith("["))) {
      try {
        port = Integer.parseInt(h.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in Host header '" + hostHeader + "'");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("bad port in Host header '" + hostHeader + "'");
      }
      h = h.substring(0, colon);
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("empty host in Host header '" + hostHeader + "'");
    }
    return new ServiceHost(h, namespaceOf(h, ownNamespace), port);
  }

  private static String namespaceOf(String host, String ownNamespace) {
    String[] labels = host.split("\\.");
    if (labels.length == 1) {
      return ownNamespace;
    }
    if (labels.length == 2 || labels[2].equals("svc")) {
      // name.ns or name.ns.svc[.cluster.local]; an IP literal or a real DNS name has no svc label
      return labels.length == 2 && !looksLikeServiceNamespace(labels[1]) ? null : labels[1];
    }
    return null;
  }

  // "api.example" is ambiguous; two labels count as name.ns only when the second is not a common TLD.
  private static boolean looksLikeServiceNamespace(String label) {
    return !(label.equals("com") || label.equals("org") || label.equals("net") || label.equals("io")
        || label.chars().allMatch(Character::isDigit));
  }
}
