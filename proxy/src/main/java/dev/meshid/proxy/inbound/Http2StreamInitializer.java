package dev.meshid.proxy.inbound;

import dev.meshid.proxy.http.UpstreamPool;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * One HTTP/2 stream's pipeline: its frames become one HTTP request ({@code :method}, {@code :path} and
 * {@code :authority} become the request line and {@code Host}), which then goes through exactly the
 * HTTP/1.1 request handling ({@link InboundHttpHandler}: authorization on the connection's peer and the
 * request attributes, 403 {@code RBAC: access denied}, XFCC, HTTP/1.1 to the app through the shared pool,
 * access log and counters); the response goes back as HEADERS and DATA frames on this stream only.
 */
final class Http2StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
  private final InboundContext context;

  /** @param context the inbound context whose recorder labels lines {@code HTTP/2} */
  Http2StreamInitializer(InboundContext context) {
    this.context = context;
  }

  @Override
  protected void initChannel(Http2StreamChannel ch) {
    PeerIdentity peer = ch.parent().attr(PeerIdentity.KEY).get();
    if (peer != null) {
      ch.attr(PeerIdentity.KEY).set(peer);
    }
    ChannelPipeline p = ch.pipeline();
    p.addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
    p.addLast("continue", new HttpServerExpectContinueHandler());
    p.addLast("aggregate", new HttpObjectAggregator(UpstreamPool.MAX_BODY));
    p.addLast("h2-normalize", Http2RequestNormalizer.INSTANCE);
    p.addLast("proxy", new InboundHttpHandler(context));
  }
}
