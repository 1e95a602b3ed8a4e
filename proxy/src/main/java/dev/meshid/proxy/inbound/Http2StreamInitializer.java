package dev.meshid.proxy.inbound;

import dev.meshid.proxy.http.UpstreamPool;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * One HTTP/2 stream's pipeline: its frames become one HTTP request ({@code :method}, {@code :path} and
 * {@code :authority} become the request line and {@code Host}), which then goes through exactly the
 * HTTP/1.1 request handling ({@link InboundHttpHandler}: authorization on the connection's peer and the
 * request attributes, 403 {@code RBAC: access denied}, XFCC, HTTP/1.1 to the app through the shared pool,
 * access log and counters); the response goes back as HEADERS and DATA frames on this stream only.
 */
final class Http2StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
  private static final ChannelHandler STRIP_EXTENSION_HEADERS = new StripExtensionHeaders();

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
    p.addLast("h2-clean", STRIP_EXTENSION_HEADERS);
    p.addLast("proxy", new InboundHttpHandler(context));
  }

  /**
   * Removes the {@code x-http2-*} headers the conversion adds (stream id, scheme): they describe this hop,
   * a client could also send them, and neither authorization nor the app should see them.
   */
  @ChannelHandler.Sharable
  private static final class StripExtensionHeaders extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest r) {
        for (HttpConversionUtil.ExtensionHeaderNames n : HttpConversionUtil.ExtensionHeaderNames.values()) {
          r.headers().remove(n.text());
        }
      }
      ctx.fireChannelRead(msg);
    }
  }
}
