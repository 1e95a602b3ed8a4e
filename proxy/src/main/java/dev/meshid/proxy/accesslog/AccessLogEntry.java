package dev.meshid.proxy.accesslog;

import java.time.Instant;
import java.util.Objects;

/**
 * What one access log line reports: Envoy's default fields. Null strings print as {@code -}.
 *
 * @param start when the request (or TCP connection) started
 * @param method the HTTP method, null for TCP
 * @param path the request path with query, null for TCP
 * @param protocol {@code HTTP/1.1}, or null for TCP
 * @param responseCode the status sent, 0 if none (TCP, or the client went away first)
 * @param responseFlags Envoy's response flags ({@code UF}, {@code NR}, ...), null for none
 * @param bytesReceived body bytes received (TCP: all bytes)
 * @param bytesSent body bytes sent (TCP: all bytes)
 * @param durationMillis from start to the last byte sent
 * @param upstreamServiceMillis time the upstream took to answer, or -1 when no upstream answered
 * @param forwardedFor the X-Forwarded-For request header
 * @param userAgent the User-Agent request header
 * @param requestId the X-Request-Id request header
 * @param authority the Host header
 * @param upstreamHost the upstream address used, or null
 */
public record AccessLogEntry(
    Instant start,
    String method,
    String path,
    String protocol,
    int responseCode,
    String responseFlags,
    long bytesReceived,
    long bytesSent,
    long durationMillis,
    long upstreamServiceMillis,
    String forwardedFor,
    String userAgent,
    String requestId,
    String authority,
    String upstreamHost) {

  public AccessLogEntry {
    Objects.requireNonNull(start, "start");
  }
}
