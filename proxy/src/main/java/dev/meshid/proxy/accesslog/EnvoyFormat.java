package dev.meshid.proxy.accesslog;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Envoy's default access log format:
 *
 * <pre>
 * [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 * %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
 * "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
 * </pre>
 *
 * (one line), with {@code -} for every value that is not set and START_TIME in UTC with milliseconds. Log
 * parsers written for Envoy's sidecar read these lines unchanged.
 */
public final class EnvoyFormat {
  private static final DateTimeFormatter START_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EnvoyFormat() {}

  /** The line for {@code e}, with the trailing newline. */
  public static String format(AccessLogEntry e) {
    StringBuilder sb = new StringBuilder(200);
    sb.append('[');
    START_TIME.formatTo(e.start(), sb);
    sb.append("] \"").append(v(e.method())).append(' ').append(v(e.path())).append(' ').append(v(e.protocol()))
        .append("\" ").append(e.responseCode())
        .append(' ').append(v(e.responseFlags()))
        .append(' ').append(e.bytesReceived())
        .append(' ').append(e.bytesSent())
        .append(' ').append(e.durationMillis())
        .append(' ').append(e.upstreamServiceMillis() < 0 ? "-" : Long.toString(e.upstreamServiceMillis()))
        .append(" \"").append(v(e.forwardedFor()))
        .append("\" \"").append(v(e.userAgent()))
        .append("\" \"").append(v(e.requestId()))
        .append("\" \"").append(v(e.authority()))
        .append("\" \"").append(v(e.upstreamHost()))
        .append("\"\n");
    return sb.toString();
  }

  private static String v(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
