package dev.meshid.proxy.outbound;

import dev.meshid.policies.OutboundTrafficPolicy;
import dev.meshid.proxy.admin.ProxyMetrics;
import dev.meshid.proxy.config.Route;
import dev.meshid.proxy.http.ExchangeRecorder;
import dev.meshid.proxy.http.UpstreamPool;
import dev.meshid.proxy.policy.LivePolicies;
import dev.meshid.proxy.http.Destination;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every outbound connection shares.
 *
 * @param routes destinations by Host
 * @param meshDefault the outbound traffic policy where no Sidecar sets one
 * @param policies the live policies (Sidecar egress)
 * @param pool upstream connections
 * @param metrics counters
 * @param recorder access log and request counters
 */
public record OutboundContext(List<Route> routes, OutboundTrafficPolicy meshDefault, LivePolicies policies,
    UpstreamPool pool, ProxyMetrics metrics, ExchangeRecorder recorder) {

  public OutboundContext {
    routes = List.copyOf(routes);
  }

  /** The mTLS destinations of the routes by host, built once (pool keys, labels, socket addresses). */
  Map<String, Destination> routedDestinations() {
    Map<String, Destination> m = new HashMap<>();
    for (Route r : routes) {
      m.putIfAbsent(r.host(), new Destination(r.upstream(), true, r.expectedPeer()));
    }
    return m;
  }
}
