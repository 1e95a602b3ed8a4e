package dev.meshid.proxy.config;

import dev.meshid.pki.id.InvalidSpiffeIdException;
import dev.meshid.pki.id.SpiffeId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the outbound listener sends requests for one {@code Host}, and whom it expects to find there.
 *
 * @param host the HTTP host name, lower case, without port
 * @param upstream the peer proxy's inbound address
 * @param expectedPeer the SPIFFE ID the upstream must present; empty accepts any SPIFFE ID that chains
 *     to the trust bundle
 */
public record Route(String host, HostPort upstream, Optional<SpiffeId> expectedPeer) {

  public Route {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(upstream, "upstream");
    host = host.toLowerCase(Locale.ROOT);
    expectedPeer = expectedPeer == null ? Optional.empty() : expectedPeer;
  }

  /**
   * Parses {@code HOST=ADDR[,SPIFFE_ID]}, e.g.
   * {@code details=127.0.0.1:15006,spiffe://cluster.local/ns/default/sa/bookinfo-details}.
   *
   * @throws IllegalArgumentException saying which part is wrong
   */
  public static Route parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not HOST=ADDR[,SPIFFE_ID] "
          + "(e.g. details=127.0.0.1:15006,spiffe://cluster.local/ns/default/sa/details)");
    }
    String host = text.substring(0, eq).trim();
    String rest = text.substring(eq + 1);
    int comma = rest.indexOf(',');
    HostPort upstream = HostPort.parse(comma < 0 ? rest : rest.substring(0, comma));
    Optional<SpiffeId> peer = Optional.empty();
    if (comma >= 0) {
      String id = rest.substring(comma + 1).trim();
      try {
        peer = Optional.of(SpiffeId.parse(id));
      } catch (InvalidSpiffeIdException e) {
        throw new IllegalArgumentException("'" + text + "': '" + id + "' is not a SPIFFE ID: " + e.getMessage());
      }
    }
    return new Route(host, upstream, peer);
  }

  @Override
  public String toString() {
    return host + "=" + upstream + expectedPeer.map(p -> "," + p).orElse("");
  }
}
