package dev.meshid.proxy.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A {@code HOST:PORT} address as the command line takes it; {@code :PORT} means all interfaces. The text is
 * parsed by the settings' {@link dev.meshid.settings.HostPort}, the one parser the programs share; this type
 * adds what the data path needs: a host that is never empty and socket addresses.
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
    // Checked here rather than by building the settings type: the outbound path makes one per request.
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0-65535");
    }
  }

  /**
   * Parses {@code host:port}, {@code [v6]:port} or {@code :port} (0.0.0.0).
   *
   * @throws IllegalArgumentException saying what was wrong and what a valid value looks like
   */
  public static HostPort parse(String text) {
    dev.meshid.settings.HostPort parsed = dev.meshid.settings.HostPort.parseListen(text);
    return new HostPort(parsed.bindHost(), parsed.port());
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
    return new dev.meshid.settings.HostPort(host, port).toString();
  }
}
