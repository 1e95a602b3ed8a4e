package dev.meshid.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** First in an upstream pipeline: tells the {@link UpstreamHandler} that the upstream sent something. */
final class ReadMarker extends ChannelInboundHandlerAdapter {
  private final UpstreamHandler handler;

  ReadMarker(UpstreamHandler handler) {
    this.handler = handler;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    handler.markRead();
    ctx.fireChannelRead(msg);
  }
}
