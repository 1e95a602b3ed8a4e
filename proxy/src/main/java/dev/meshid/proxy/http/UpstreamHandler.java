package dev.meshid.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of one upstream connection: delivers the response of the one request in flight to its
 * callback, then returns the connection to the pool or closes it. Runs on one event loop only.
 *
 * <p>The request timeout is a deadline checked by one periodic tick per connection, not a task scheduled and
 * cancelled per request: a request costs a {@code nanoTime()} read, and a late answer is noticed within one
 * tick ({@link #TICK_MILLIS}) of the deadline.
 */
final class UpstreamHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
  static final long TICK_MILLIS = 500;
  private static final Logger log = LoggerFactory.getLogger(UpstreamHandler.class);

  private final UpstreamPool pool;
  private final Destination destination;
  private ChannelHandlerContext ctx;
  private UpstreamCallback pending;
  private boolean reused;
  private boolean bytesSeen;
  private long deadlineNanos;
  private ScheduledFuture<?> tick;

  UpstreamHandler(UpstreamPool pool, Destination destination) {
    super(false);
    this.pool = pool;
    this.destination = destination;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Called before the request is written: the callback for its response. */
  void start(UpstreamCallback callback, boolean reusedConnection, long timeoutMillis) {
    pending = callback;
    reused = reusedConnection;
    bytesSeen = false;
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    if (tick == null) {
      tick = ctx.executor().scheduleAtFixedRate(this::checkDeadline, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Any bytes arrived from upstream (set by {@link ReadMarker}). */
  void markRead() {
    bytesSeen = true;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    UpstreamCallback cb = pending;
    if (cb == null) {
      response.release();
      ctx.close();
      return;
    }
    pending = null;
    if (pool.keepAlive() && HttpUtil.isKeepAlive(response)) {
      pool.release(ctx.channel(), destination);
    } else {
      ctx.close();
    }
    cb.onResponse(response);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopTicking();
    pool.forget(ctx.channel(), destination);
    fail(new UpstreamFailure(503, "UC", "upstream connection closed before a response", reused && !bytesSeen));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("upstream {} failed: {}", destination.address(), cause.toString());
    UpstreamFailure f = new UpstreamFailure(503, "UF", "upstream error: " + cause.getMessage(), reused && !bytesSeen);
    fail(f);
    ctx.close();
  }

  private void checkDeadline() {
    if (pending == null) {
      stopTicking(); // idle in the pool: no wake-ups until the next request
    } else if (System.nanoTime() - deadlineNanos >= 0) {
      fail(new UpstreamFailure(504, "UT", "upstream request timeout", false));
      ctx.close();
    }
  }

  private void fail(UpstreamFailure failure) {
    UpstreamCallback cb = pending;
    if (cb != null) {
      pending = null;
      cb.onFailure(failure);
    }
  }

  private void stopTicking() {
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }
}
