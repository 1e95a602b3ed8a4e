package dev.meshid.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a downstream connection may take to deliver a complete request head, so that slow clients
 * (slowloris: headers one byte at a time, a TLS handshake never finished, or nothing at all) cannot hold
 * connections open. {@link #arm} starts the clock when the connection is accepted, before TLS; the handler
 * that {@link HttpPipelines#server} places behind the HTTP codec stops it when a request head arrives and
 * restarts it, with the idle timeout, once every response has been written. A connection that turns out to be
 * a raw TCP relay is released with {@link #disarm}. Everything runs on the connection's event loop.
 */
public final class HeadDeadline extends ChannelDuplexHandler {
  private static final AttributeKey<State> STATE = AttributeKey.valueOf("meshid.headDeadline");

  /** The two limits: for the first request head (TLS handshake included) and for each later one. */
  public record Timeouts(Duration firstHead, Duration idle) {}

  private static final class State {
    final Timeouts timeouts;
    ScheduledFuture<?> timer;
    int pending;

    State(Timeouts timeouts) {
      this.timeouts = timeouts;
    }
  }

  /** Starts the clock for a just-accepted connection: closed unless a request head arrives in time. */
  public static void arm(Channel ch, Timeouts timeouts) {
    State state = new State(timeouts);
    ch.attr(STATE).set(state);
    schedule(ch, state, timeouts.firstHead());
    // Without this a closed connection's timer would stay queued (and keep the channel) until it fired.
    ch.closeFuture().addListener(f -> disarm(ch));
  }

  /** Stops the clock for good (the connection is a TCP relay, which has no request heads). */
  public static void disarm(Channel ch) {
    State state = ch.attr(STATE).getAndSet(null);
    if (state != null && state.timer != null) {
      state.timer.cancel(false);
    }
  }

  private static void schedule(Channel ch, State state, Duration after) {
    if (state.timer != null) {
      state.timer.cancel(false);
    }
    state.timer = ch.eventLoop().schedule(() -> {
      if (ch.attr(STATE).get() == state && state.pending == 0) {
        ch.close();
      }
    }, after.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    State state = ctx.channel().attr(STATE).get();
    if (state != null && msg instanceof HttpRequest) {
      state.pending++;
      if (state.timer != null) {
        state.timer.cancel(false);
        state.timer = null;
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    State state = ctx.channel().attr(STATE).get();
    boolean informational = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (state != null && msg instanceof LastHttpContent && !informational) {
      state.pending = Math.max(0, state.pending - 1);
      if (state.pending == 0) {
        schedule(ctx.channel(), state, state.timeouts.idle());
      }
    }
    ctx.write(msg, promise);
  }
}
