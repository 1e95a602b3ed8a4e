package dev.meshid.proxy.inbound;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Removes the {@code x-http2-*} headers Netty's HTTP/2 to HTTP/1.1 conversion adds (stream id, scheme): they
 * describe this hop, a client could send them too, and neither authorization nor the app should see them.
 * ({@code :authority} needs nothing here: the conversion makes it the one {@code Host} and refuses a request
 * whose {@code host} header names something else.)
 */
@ChannelHandler.Sharable
final class Http2RequestNormalizer extends ChannelInboundHandlerAdapter {
  static final Http2RequestNormalizer INSTANCE = new Http2RequestNormalizer();

  private Http2RequestNormalizer() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest r) {
      normalize(r.headers());
    }
    ctx.fireChannelRead(msg);
  }

  static void normalize(HttpHeaders headers) {
    for (HttpConversionUtil.ExtensionHeaderNames n : HttpConversionUtil.ExtensionHeaderNames.values()) {
      headers.remove(n.text());
    }
  }
}
