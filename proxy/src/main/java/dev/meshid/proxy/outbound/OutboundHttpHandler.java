package dev.meshid.proxy.outbound;

import dev.meshid.policies.EgressDecision;
import dev.meshid.proxy.config.HostPort;
import dev.meshid.proxy.http.Destination;
import dev.meshid.proxy.http.Exchange;
import dev.meshid.proxy.http.HopByHop;
import dev.meshid.proxy.http.ProxyServerHandler;
import dev.meshid.proxy.http.UpstreamCallback;
import dev.meshid.proxy.http.UpstreamFailure;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound HTTP from the local app: finds the destination by {@code Host}, applies the Sidecar egress host
 * list (outside it and REGISTRY_ONLY: 502), then sends the request over mTLS to the routed peer proxy,
 * whose SPIFFE ID must be the route's, or in plaintext to an unrouted host when ALLOW_ANY lets it pass.
 */
final class OutboundHttpHandler extends ProxyServerHandler {
  private static final Logger log = LoggerFactory.getLogger(OutboundHttpHandler.class);

  private final OutboundContext context;
  private final Map<String, Destination> routed;
  // The last Host header seen on this connection and what it parsed to: clients repeat it on every request.
  private String lastHostHeader;
  private ServiceHost lastTarget;

  OutboundHttpHandler(OutboundContext context, Map<String, Destination> routed) {
    super(context.recorder());
    this.context = context;
    this.routed = routed;
  }

  @Override
  protected void handle(Exchange exchange, FullHttpRequest request) {
    ServiceHost target;
    try {
      target = target(request.headers().get(HttpHeaderNames.HOST));
    } catch (IllegalArgumentException e) {
      request.release();
      exchange.replyText(HttpResponseStatus.BAD_REQUEST, e.getMessage(), "DPE");
      return;
    }
    EgressDecision egress = context.policies().current().egress(target.namespace(), target.host(), target.port());
    if (!egress.allowed(context.meshDefault())) {
      context.metrics().egressBlocked();
      log.debug("{} is outside the egress host list of {}", target.host(), egress.sidecar());
      request.release();
      exchange.replyText(HttpResponseStatus.BAD_GATEWAY,
          "upstream " + target.host() + " is not in the Sidecar egress host list (REGISTRY_ONLY)", "NR");
      return;
    }
    Destination routedTo = routed.get(target.host());
    Destination destination = routedTo != null ? routedTo
        : Destination.plain(new HostPort(target.host(), target.port()));
    HopByHop.strip(request.headers());
    String upstreamHost = destination.label();
    context.pool().send(exchange.ctx().channel().eventLoop(), destination, request, new UpstreamCallback() {
      @Override
      public void onResponse(FullHttpResponse response) {
        exchange.replyUpstream(response, upstreamHost);
      }

      @Override
      public void onFailure(UpstreamFailure failure) {
        log.info("outbound to {} failed: {}", upstreamHost, failure.detail());
        exchange.replyFailure(failure, upstreamHost);
      }
    });
  }

  private ServiceHost target(String hostHeader) {
    if (hostHeader != null && hostHeader.equals(lastHostHeader)) {
      return lastTarget;
    }
    ServiceHost parsed = ServiceHost.parse(hostHeader, context.policies().workload().namespace());
    lastHostHeader = hostHeader;
    lastTarget = parsed;
    return parsed;
  }
}
