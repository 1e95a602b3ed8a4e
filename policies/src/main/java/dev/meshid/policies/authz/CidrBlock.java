package dev.meshid.policies.authz;

import dev.meshid.policies.IpLiterals;
import java.util.Arrays;

/** An IPv4 or IPv6 CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address). */
public final class CidrBlock {
  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private CidrBlock(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses a block; host bits below the prefix are ignored.
   *
   * @throws IllegalArgumentException with a message naming the value
   */
  public static CidrBlock parse(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes;
    try {
      bytes = IpLiterals.parse(addr).getAddress();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid IP or CIDR block '" + text + "'", e);
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
        throw new IllegalArgumentException("invalid prefix length in CIDR block '" + text + "' (0-" + max + ")");
      }
      prefix = Integer.parseInt(p);
    }
    mask(bytes, prefix);
    return new CidrBlock(bytes, prefix, text);
  }

  /** Whether {@code address} (raw bytes, 4 or 16) lies in this block; other families never do. */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xff << (8 - rest)) & 0xff;
    return (address[full] & m) == (network[full] & 0xff);
  }

  private static void mask(byte[] bytes, int prefix) {
    for (int i = 0; i < bytes.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
      int m = bitsHere == 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
      bytes[i] = (byte) (bytes[i] & m);
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrBlock c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }
}
