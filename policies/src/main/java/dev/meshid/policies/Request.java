package dev.meshid.policies;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the proxy knows about one inbound request or connection.
 *
 * @param protocol HTTP or TCP; on TCP the HTTP fields are ignored
 * @param peerPrincipal the peer's SPIFFE ID ({@code spiffe://td/ns/x/sa/y}), or null for plaintext
 * @param sourceIp the address of the direct peer
 * @param remoteIp the original client address (e.g. from X-Forwarded-For); equals {@code sourceIp}
 *     unless the proxy knows better
 * @param destinationPort the port the connection arrived on
 * @param sni the TLS server name, or null
 * @param method the HTTP method, or null
 * @param path the HTTP path, possibly with a query string, or null
 * @param host the HTTP host ({@code :authority}), possibly with a port, or null
 * @param headers HTTP headers with lower-case names; multiple values joined with commas
 */
public record Request(
    Protocol protocol,
    String peerPrincipal,
    InetAddress sourceIp,
    InetAddress remoteIp,
    int destinationPort,
    String sni,
    String method,
    String path,
    String host,
    Map<String, String> headers) {

  public Request {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(sourceIp, "sourceIp");
    if (remoteIp == null) {
      remoteIp = sourceIp;
    }
    if (destinationPort < 0 || destinationPort > 65535) {
      throw new IllegalArgumentException("destinationPort out of range: " + destinationPort);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** A builder; protocol defaults to HTTP and the source address to 127.0.0.1. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Request}; header names are lower-cased here so evaluation need not. */
  public static final class Builder {
    private Protocol protocol = Protocol.HTTP;
    private String peerPrincipal;
    private InetAddress sourceIp = InetAddress.getLoopbackAddress();
    private InetAddress remoteIp;
    private int destinationPort;
    private String sni;
    private String method;
    private String path;
    private String host;
    private final Map<String, String> headers = new HashMap<>();

    private Builder() {}

    public Builder protocol(Protocol protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder tcp() {
      return protocol(Protocol.TCP);
    }

    /** The peer's SPIFFE ID, or null for plaintext. */
    public Builder peer(String spiffeId) {
      this.peerPrincipal = spiffeId;
      return this;
    }

    public Builder sourceIp(InetAddress ip) {
      this.sourceIp = ip;
      return this;
    }

    /** An IP literal; never resolved through DNS. */
    public Builder sourceIp(String ipLiteral) {
      return sourceIp(IpLiterals.parse(ipLiteral));
    }

    public Builder remoteIp(String ipLiteral) {
      this.remoteIp = IpLiterals.parse(ipLiteral);
      return this;
    }

    public Builder port(int destinationPort) {
      this.destinationPort = destinationPort;
      return this;
    }

    public Builder sni(String sni) {
      this.sni = sni;
      return this;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder header(String name, String value) {
      headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
      return this;
    }

    public Request build() {
      return new Request(protocol, peerPrincipal, sourceIp, remoteIp, destinationPort, sni,
          method, path, host, headers);
    }
  }
}
