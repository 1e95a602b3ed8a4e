package dev.meshid.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a downstream HTTP/1.1 pipeline: one exchange at a time per connection, in order. Requests that
 * arrive while an exchange is in flight (HTTP/1.1 pipelining) wait in a queue, so responses always leave in
 * request order. Reading pauses only while a request waits in that queue, which bounds what a pipelining
 * client can make the proxy buffer; an ordinary keep-alive client, which waits for each response, never
 * triggers it, so it does not pay two {@code epoll_ctl} system calls per request for toggling auto-read.
 */
public abstract class ProxyServerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(ProxyServerHandler.class);

  private final ExchangeRecorder recorder;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(2);
  private boolean busy;
  private boolean paused;

  protected ProxyServerHandler(ExchangeRecorder recorder) {
    super(false);
    this.recorder = recorder;
  }

  /** Handles one request; must eventually answer through the exchange. Owns {@code request}. */
  protected abstract void handle(Exchange exchange, FullHttpRequest request);

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (busy) {
      waiting.add(request);
      if (!paused) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    start(ctx, request);
  }

  private void start(ChannelHandlerContext ctx, FullHttpRequest request) {
    busy = true;
    Exchange exchange = new Exchange(ctx, this, recorder, request);
    if (!request.decoderResult().isSuccess()) {
      request.release();
      exchange.replyText(HttpResponseStatus.BAD_REQUEST, "bad request", "DPE");
      return;
    }
    try {
      handle(exchange, request);
    } catch (RuntimeException e) {
      log.warn("request handling failed", e);
      exchange.replyText(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", null);
    }
  }

  /** The response of the current exchange was written on a keep-alive connection. */
  void exchangeDone(ChannelHandlerContext ctx) {
    busy = false;
    FullHttpRequest next = waiting.poll();
    if (paused && waiting.isEmpty()) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
    if (next != null) {
      start(ctx, next);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FullHttpRequest r;
    while ((r = waiting.poll()) != null) {
      r.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("downstream connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
