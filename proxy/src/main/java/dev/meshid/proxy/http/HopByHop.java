package dev.meshid.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** Strips hop-by-hop headers (RFC 9110 7.6.1), which describe one connection and must not be forwarded. */
public final class HopByHop {
  private static final List<CharSequence> NAMES = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION);

  private HopByHop() {}

  /** Removes the standard hop-by-hop headers and those named in {@code Connection}. */
  public static void strip(HttpHeaders headers) {
    String connection = headers.get(HttpHeaderNames.CONNECTION);
    if (connection != null) {
      for (String name : connection.split(",")) {
        String n = name.trim();
        if (!n.isEmpty() && !n.equalsIgnoreCase("close") && !n.equalsIgnoreCase("keep-alive")) {
          headers.remove(n);
        }
      }
    }
    for (CharSequence n : NAMES) {
      headers.remove(n);
    }
  }
}
