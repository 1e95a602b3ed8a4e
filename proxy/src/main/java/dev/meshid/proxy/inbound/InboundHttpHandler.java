package dev.meshid.proxy.inbound;

import dev.meshid.policies.AuthzDecision;
import dev.meshid.policies.Request;
import dev.meshid.policies.WorkloadPolicies;
import dev.meshid.proxy.admin.ProxyMetrics;
import dev.meshid.proxy.http.Destination;
import dev.meshid.proxy.http.Exchange;
import dev.meshid.proxy.http.HopByHop;
import dev.meshid.proxy.http.ProxyServerHandler;
import dev.meshid.proxy.http.UpstreamCallback;
import dev.meshid.proxy.http.UpstreamFailure;
import dev.meshid.proxy.tls.TlsSnapshot;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound HTTP: authorizes each request on the peer's identity, method, path, host and headers, answers a
 * denied one with 403 {@code RBAC: access denied}, and proxies an allowed one to the app with
 * {@code X-Forwarded-Client-Cert} set by the proxy.
 */
final class InboundHttpHandler extends ProxyServerHandler {
  /** Envoy's body for requests its RBAC filter denies. */
  static final String RBAC_DENIED = "RBAC: access denied";
  private static final Logger log = LoggerFactory.getLogger(InboundHttpHandler.class);

  private final InboundContext context;
  private final Destination app;
  // XFCC depends only on our own identity and the connection's peer: built once, again only after rotation.
  private Object xfccSelf;
  private String xfcc;
  // The peer's SPIFFE ID as the policy request wants it, built once per connection rather than per request.
  private PeerIdentity principalOf;
  private String principal;

  InboundHttpHandler(InboundContext context) {
    super(context.recorder());
    this.context = context;
    this.app = Destination.plain(context.app());
  }

  @Override
  protected void handle(Exchange exchange, FullHttpRequest request) {
    Channel ch = exchange.ctx().channel();
    PeerIdentity peer = ch.attr(PeerIdentity.KEY).get();
    WorkloadPolicies policies = context.policies().current();
    AuthzDecision decision = policies.authorize(toPolicyRequest(ch, peer, request, policies.authorizationReadsHeaders()));
    if (!decision.allowed()) {
      context.metrics().denied(ProxyMetrics.Direction.INBOUND, decision.reason().name());
      log.debug("{} {} from {}: {}", request.method(), request.uri(), peer == null ? "plaintext" : peer.id(),
          decision.describe());
      request.release();
      exchange.replyText(HttpResponseStatus.FORBIDDEN, RBAC_DENIED, null);
      return;
    }
    HttpHeaders headers = request.headers();
    HopByHop.strip(headers);
    headers.remove(Xfcc.HEADER);
    TlsSnapshot tls = context.tls().currentOrNull();
    if (peer != null && tls != null) {
      if (xfccSelf != tls.self()) {
        xfcc = Xfcc.value(tls.self(), peer);
        xfccSelf = tls.self();
      }
      headers.set(Xfcc.HEADER, xfcc);
    }
    String upstreamHost = app.label();
    context.pool().send(ch.eventLoop(), app, request, new UpstreamCallback() {
      @Override
      public void onResponse(FullHttpResponse response) {
        exchange.replyUpstream(response, upstreamHost);
      }

      @Override
      public void onFailure(UpstreamFailure failure) {
        log.debug("app {} failed: {}", upstreamHost, failure.detail());
        exchange.replyFailure(failure, upstreamHost);
      }
    });
  }

  private Request toPolicyRequest(Channel ch, PeerIdentity peer, FullHttpRequest request, boolean withHeaders) {
    if (peer != principalOf) {
      principal = peer == null ? null : peer.id().toString();
      principalOf = peer;
    }
    Request.Builder b = Request.builder()
        .peer(principal)
        .port(context.workloadPort())
        .method(request.method().name())
        .path(request.uri())
        .host(request.headers().get(HttpHeaderNames.HOST));
    if (ch.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
      b.sourceIp(remote.getAddress());
    }
    if (withHeaders) { // only when a policy reads them: copying every header costs on each request
      for (Map.Entry<String, String> h : request.headers()) {
        b.header(h.getKey(), h.getValue());
      }
    }
    return b.build();
  }
}
