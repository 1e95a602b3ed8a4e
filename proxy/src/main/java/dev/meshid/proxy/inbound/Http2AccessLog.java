package dev.meshid.proxy.inbound;

import dev.meshid.proxy.accesslog.AccessLog;
import dev.meshid.proxy.accesslog.AccessLogEntry;

/**
 * The access log as HTTP/2 streams write it: the request handling is HTTP/1.1's (the stream is converted),
 * so lines are relabelled with the protocol the client spoke, {@code HTTP/2} as in Envoy's %PROTOCOL%.
 */
final class Http2AccessLog implements AccessLog {
  static final String PROTOCOL = "HTTP/2";

  private final AccessLog delegate;

  Http2AccessLog(AccessLog delegate) {
    this.delegate = delegate;
  }

  @Override
  public void log(AccessLogEntry e) {
    delegate.log(new AccessLogEntry(e.start(), e.method(), e.path(), PROTOCOL, e.responseCode(), e.responseFlags(),
        e.bytesReceived(), e.bytesSent(), e.durationMillis(), e.upstreamServiceMillis(), e.forwardedFor(),
        e.userAgent(), e.requestId(), e.authority(), e.upstreamHost()));
  }

  @Override
  public boolean enabled() {
    return delegate.enabled();
  }

  @Override
  public void close() {
    // The delegate belongs to the proxy, which closes it.
  }
}
