package dev.meshid.policies.authz;

import dev.meshid.policies.Request;

/**
 * A request with the regions evaluation compares found once: principal and namespace inside the
 * SPIFFE ID, the path without its query, the host without its port. One allocation per request,
 * no substrings.
 */
public final class EvalContext {
  private static final String SPIFFE = "spiffe://";

  final Request request;
  final boolean http;
  final String peer;
  final int principalStart;
  final int nsStart;
  final int nsEnd;
  final int pathEnd;
  final int hostEnd;
  private byte[] sourceIp;
  private byte[] remoteIp;

  /** Prepares {@code request} for evaluation. */
  public EvalContext(Request request) {
    this.request = request;
    this.http = request.protocol() == dev.meshid.policies.Protocol.HTTP;
    this.peer = request.peerPrincipal();
    if (peer != null) {
      principalStart = peer.startsWith(SPIFFE) ? SPIFFE.length() : 0;
      int ns = peer.indexOf("/ns/", principalStart);
      if (ns >= 0) {
        nsStart = ns + 4;
        int slash = peer.indexOf('/', nsStart);
        nsEnd = slash < 0 ? peer.length() : slash;
      } else {
        nsStart = -1;
        nsEnd = -1;
      }
    } else {
      principalStart = 0;
      nsStart = -1;
      nsEnd = -1;
    }
    String path = request.path();
    pathEnd = path == null ? -1 : queryStart(path);
    String host = request.host();
    hostEnd = host == null ? -1 : portStart(host);
  }

  byte[] sourceIp() {
    if (sourceIp == null) {
      sourceIp = request.sourceIp().getAddress();
    }
    return sourceIp;
  }

  byte[] remoteIp() {
    if (remoteIp == null) {
      remoteIp = request.remoteIp().getAddress();
    }
    return remoteIp;
  }

  private static int queryStart(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return path.length();
  }

  // "host:8080" -> "host"; "[::1]:8080" -> "[::1]"; a bare IPv6 literal keeps its colons.
  private static int portStart(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || host.indexOf(':') != colon && !host.startsWith("[")) {
      return host.length();
    }
    for (int i = colon + 1; i < host.length(); i++) {
      if (!Character.isDigit(host.charAt(i))) {
        return host.length();
      }
    }
    return colon;
  }

  /**
   * The text {@code a} is matched in, or null when the request has none; {@link #start} and {@link #end} give
   * the region of it that counts (the principal without {@code spiffe://}, the namespace inside the peer ID, the
   * path without its query, the host without its port). One place, for the matchers and the policy index alike.
   */
  String text(Attribute a, String headerName) {
    return switch (a) {
      case PRINCIPAL -> peer;
      case NAMESPACE -> nsStart < 0 ? null : peer;
      case SNI -> request.sni();
      case HOST -> request.host();
      case METHOD -> request.method();
      case PATH -> request.path();
      case HEADER -> request.headers().get(headerName);
      default -> throw new AssertionError(a);
    };
  }

  /** Where the region of {@link #text} starts. */
  int start(Attribute a) {
    return switch (a) {
      case PRINCIPAL -> principalStart;
      case NAMESPACE -> nsStart;
      default -> 0;
    };
  }

  /** Where the region of {@code text}, as {@link #text} returned it for {@code a}, ends. */
  int end(Attribute a, String text) {
    return switch (a) {
      case NAMESPACE -> nsEnd;
      case PATH -> pathEnd;
      case HOST -> hostEnd;
      default -> text.length();
    };
  }
}
