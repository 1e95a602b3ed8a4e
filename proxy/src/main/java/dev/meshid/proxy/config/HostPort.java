package dev.meshid.proxy.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A {@code HOST:PORT} address as the command line takes it; {@code :PORT} means all interfaces.
 *
 * @param host a host name or IP literal (IPv6 without brackets), never empty
 * @param port 0..65535; 0 picks a free port when binding
 */
public record HostPort(String host, int port) {

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  /**
   * Parses {@code host:port}, {@code [v6]:port} or {@code :port} (0.0.0.0).
   *
   * @throws IllegalArgumentException saying what a valid value looks like
   */
  public static HostPort parse(String text) {
    String t = text == null ? "" : text.trim();
    int colon = t.lastIndexOf(':');
    if (colon < 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:8080 or :15006)");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric port (e.g. 127.0.0.1:8080)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("'" + text + "': port " + port + " is outside 0..65535");
    }
    return new HostPort(host, port);
  }

  /** An unresolved socket address; Netty resolves it when connecting or binding. */
  public InetSocketAddress toAddress() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** A resolved socket address, for binding. */
  public InetSocketAddress toResolvedAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
