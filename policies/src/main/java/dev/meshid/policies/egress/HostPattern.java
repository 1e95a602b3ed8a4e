package dev.meshid.policies.egress;

import java.util.Locale;

/**
 * One Sidecar egress host, {@code <namespace>/<dns-name>}: the namespace is a name, {@code *}
 * (any), {@code .} (the Sidecar's own namespace) or {@code ~} (none: the entry imports nothing);
 * the DNS name is exact, {@code *} or {@code *.suffix}, compared without regard to case.
 */
public final class HostPattern {
  private final String namespace; // null: any namespace
  private final boolean none;
  private final String dns; // null: any host
  private final boolean wildcardSuffix;
  private final String text;

  private HostPattern(String namespace, boolean none, String dns, boolean wildcardSuffix, String text) {
    this.namespace = namespace;
    this.none = none;
    this.dns = dns;
    this.wildcardSuffix = wildcardSuffix;
    this.text = text;
  }

  /**
   * Parses an entry.
   *
   * @param ownNamespace the Sidecar's namespace, for {@code ./}
   * @throws IllegalArgumentException when the entry is not {@code <namespace>/<dns-name>}
   */
  public static HostPattern parse(String entry, String ownNamespace) {
    int slash = entry.indexOf('/');
    if (slash <= 0 || slash == entry.length() - 1 || entry.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("invalid host '" + entry + "' (expected <namespace>/<dns-name>, "
          + "e.g. ./*, istio-system/*, */foo.com)");
    }
    String ns = entry.substring(0, slash);
    String name = entry.substring(slash + 1).toLowerCase(Locale.ROOT);
    if (name.indexOf('*') > 0 || name.startsWith("*") && name.length() > 1 && !name.startsWith("*.")) {
      throw new IllegalArgumentException("invalid host '" + entry + "' (a wildcard must be '*' or lead as '*.')");
    }
    boolean none = ns.equals("~");
    String nsMatch = switch (ns) {
      case "*", "~" -> null;
      case "." -> ownNamespace;
      default -> ns;
    };
    if (name.equals("*")) {
      return new HostPattern(nsMatch, none, null, false, entry);
    }
    boolean suffix = name.startsWith("*.");
    return new HostPattern(nsMatch, none, suffix ? name.substring(1) : name, suffix, entry);
  }

  /** Whether a host in {@code hostNamespace} (null for hosts in no namespace) is imported. */
  public boolean matches(String hostNamespace, String host) {
    if (none) {
      return false;
    }
    if (namespace != null && !namespace.equals(hostNamespace)) {
      return false;
    }
    if (dns == null) {
      return true;
    }
    if (wildcardSuffix) {
      int n = dns.length();
      return host.length() > n && host.regionMatches(true, host.length() - n, dns, 0, n);
    }
    return host.equalsIgnoreCase(dns);
  }

  @Override
  public String toString() {
    return text;
  }
}
