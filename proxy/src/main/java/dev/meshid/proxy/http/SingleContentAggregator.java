package dev.meshid.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The common case of {@code HttpObjectAggregator}'s work without its costs: a message whose whole body
 * (often none) the decoder delivers in its last content becomes a full message around that content,
 * with no composite buffer and no copy. Anything else (bodies in several pieces, chunked encoding,
 * decoder failures) passes on unchanged, in order, to the aggregator that follows. Either way the
 * message that leaves is the same: Content-Length set when absent, as the aggregator does.
 */
final class SingleContentAggregator extends ChannelInboundHandlerAdapter {
  /** Larger declared bodies go straight to the aggregator; most requests and API responses are far smaller. */
  static final long HOLD_LIMIT = 64 * 1024;

  private HttpMessage held;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held == null) {
      if (msg instanceof HttpMessage m && !(msg instanceof FullHttpMessage) && m.decoderResult().isSuccess()
          && !HttpUtil.isTransferEncodingChunked(m) && smallAndUnconditional(m)) {
        held = m; // not reference-counted: nothing to release if the connection ends here
        return;
      }
      ctx.fireChannelRead(msg);
      return;
    }
    HttpMessage start = held;
    held = null;
    if (msg instanceof LastHttpContent last && last.decoderResult().isSuccess()) {
      ctx.fireChannelRead(full(start, last));
    } else {
      ctx.fireChannelRead(start);
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * Only small bodies are held back: the aggregator must see a large declared length at once (to answer 413
   * before the body is sent) and every {@code Expect: 100-continue} (to answer 100, without which the client
   * never sends the body).
   */
  private static boolean smallAndUnconditional(HttpMessage m) {
    if (m.headers().contains(HttpHeaderNames.EXPECT)) {
      return false;
    }
    long length = HttpUtil.getContentLength(m, 0L);
    return length >= 0 && length <= HOLD_LIMIT;
  }

  private static FullHttpMessage full(HttpMessage start, LastHttpContent last) {
    FullHttpMessage full;
    if (start instanceof HttpRequest r) {
      full = new DefaultFullHttpRequest(r.protocolVersion(), r.method(), r.uri(), last.content(), r.headers(),
          last.trailingHeaders());
    } else {
      HttpResponse r = (HttpResponse) start;
      full = new DefaultFullHttpResponse(r.protocolVersion(), r.status(), last.content(), r.headers(),
          last.trailingHeaders());
    }
    if (!HttpUtil.isContentLengthSet(full)) {
      full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, full.content().readableBytes());
    }
    return full;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    HttpMessage start = held;
    held = null;
    if (start != null) {
      ctx.fireChannelRead(start); // what the aggregator would have seen: it decides about a cut-off message
    }
    ctx.fireChannelInactive();
  }
}
