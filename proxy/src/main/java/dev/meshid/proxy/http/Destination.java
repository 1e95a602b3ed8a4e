package dev.meshid.proxy.http;

import dev.meshid.pki.id.SpiffeId;
import dev.meshid.proxy.config.HostPort;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an upstream connection goes and how: the pool key. Built once per route (not per request), so its
 * hash, its label for the access log and, for an IP literal, its socket address are computed once.
 */
public final class Destination {
  private final HostPort address;
  private final boolean mtls;
  private final Optional<SpiffeId> expectedPeer;
  private final String label;
  private final InetSocketAddress resolvedLiteral;
  private final int hash;

  /**
   * @param address host and port
   * @param mtls whether to originate mTLS with the live {@code default} certificate
   * @param expectedPeer with mTLS, the SPIFFE ID the server must present (empty: any that chains to ROOTCA)
   */
  public Destination(HostPort address, boolean mtls, Optional<SpiffeId> expectedPeer) {
    this.address = Objects.requireNonNull(address, "address");
    this.mtls = mtls;
    this.expectedPeer = expectedPeer == null ? Optional.empty() : expectedPeer;
    if (!mtls && this.expectedPeer.isPresent()) {
      throw new IllegalArgumentException("an expected peer needs mTLS");
    }
    this.label = address.toString();
    this.resolvedLiteral = literal(address);
    this.hash = Objects.hash(address, mtls, this.expectedPeer);
  }

  /** A plaintext destination (the local app, or a passthrough host). */
  public static Destination plain(HostPort address) {
    return new Destination(address, false, Optional.empty());
  }

  public HostPort address() {
    return address;
  }

  public boolean mtls() {
    return mtls;
  }

  public Optional<SpiffeId> expectedPeer() {
    return expectedPeer;
  }

  /** {@code host:port}, for logs. */
  public String label() {
    return label;
  }

  /** The address to connect to: resolved once for an IP literal, else left to Netty's resolver each time. */
  InetSocketAddress socketAddress() {
    return resolvedLiteral != null ? resolvedLiteral : address.toAddress();
  }

  private static InetSocketAddress literal(HostPort a) {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(a.host());
    if (ip == null) {
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), a.port());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Destination d && d.hash == hash && d.mtls == mtls
        && d.address.equals(address) && d.expectedPeer.equals(expectedPeer);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "Destination[" + label + (mtls ? ", mTLS" + expectedPeer.map(p -> " " + p).orElse("") : "") + "]";
  }
}
