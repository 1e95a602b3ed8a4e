package dev.meshid.policies;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP address literals without ever falling back to a DNS lookup. */
public final class IpLiterals {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private IpLiterals() {}

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @throws IllegalArgumentException if {@code text} is not an IP literal
   */
  public static InetAddress parse(String text) {
    // InetAddress.getByName would resolve a host name; only hand it strings that are literals.
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = text.indexOf(':') >= 0 && text.chars().allMatch(IpLiterals::isV6Char);
    if (!v4 && !v6) {
      throw new IllegalArgumentException("not an IP address: '" + text + "'");
    }
    if (v4) {
      for (String octet : text.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
      }
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
    }
  }

  private static boolean isV6Char(int c) {
    return c == ':' || c == '.' || Character.digit(c, 16) >= 0;
  }
}
