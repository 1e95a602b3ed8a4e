package dev.meshid.proxy.inbound;

import dev.meshid.proxy.admin.ProxyMetrics;
import dev.meshid.proxy.config.HostPort;
import dev.meshid.proxy.config.InboundProtocol;
import dev.meshid.proxy.http.ExchangeRecorder;
import dev.meshid.proxy.http.Transport;
import dev.meshid.proxy.http.UpstreamPool;
import dev.meshid.proxy.policy.LivePolicies;
import dev.meshid.proxy.tls.LiveTls;

/**
 * What every inbound connection shares.
 *
 * @param app the local application
 * @param protocol HTTP or TCP
 * @param tls the live credentials
 * @param policies the live policies
 * @param pool connections to the app
 * @param transport event loops and socket classes (for TCP relays)
 * @param metrics counters
 * @param recorder access log and request counters for HTTP exchanges
 * @param http2 whether HTTP clients may speak HTTP/2 (ALPN {@code h2} on TLS, prior knowledge on plaintext)
 */
public record InboundContext(HostPort app, InboundProtocol protocol, LiveTls tls, LivePolicies policies,
    UpstreamPool pool, Transport transport, ProxyMetrics metrics, ExchangeRecorder recorder, boolean http2) {

  /** What the inbound TLS server offers in ALPN when HTTP/2 is on, preferred first. */
  public static final java.util.List<String> HTTP2_ALPN = Http2Inbound.ALPN;

  /** This context with another recorder (HTTP/2 streams label their access log lines differently). */
  InboundContext withRecorder(ExchangeRecorder other) {
    return new InboundContext(app, protocol, tls, policies, pool, transport, metrics, other, http2);
  }

  /** The port PeerAuthentication and AuthorizationPolicy see: the workload's own (the app's) port. */
  public int workloadPort() {
    return app.port();
  }
}
