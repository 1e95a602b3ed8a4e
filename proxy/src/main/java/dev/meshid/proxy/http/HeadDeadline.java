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
 *
 * <p>A request does not schedule or cancel a timer: it moves a deadline (one {@code nanoTime()} read). The one
 * timer of a connection, when it fires early, sleeps again until the deadline it finds; so a busy keep-alive
 * connection costs one timer per idle period instead of a task scheduled and cancelled per request (which
 * allocated and reordered the event loop's timer queue on every exchange).
 */
public final class HeadDeadline extends ChannelDuplexHandler {
  private static final AttributeKey<State> STATE = AttributeKey.valueOf("meshid.headDeadline");
  private static final long OFF = Long.MIN_VALUE;

  /** The two limits: for the first request head (TLS handshake included) and for each later one. */
  public record Timeouts(Duration firstHead, Duration idle) {}

  private static final class State {
    final Channel ch;
    final long idleNanos;
    ScheduledFuture<?> timer;
    long timerDueNanos;
    long deadlineNanos = OFF; // OFF while a request is in flight
    int pending;

    State(Channel ch, Timeouts timeouts) {
      this.ch = ch;
      this.idleNanos = timeouts.idle().toNanos();
    }

    /** The connection must deliver a request head within {@code nanos} from now. */
    void expectHeadWithin(long nanos) {
      long now = System.nanoTime();
      deadlineNanos = now + nanos;
      if (timer != null && timerDueNanos - deadlineNanos <= 0) {
        return; // fires first, then sleeps until the deadline it finds
      }
      if (timer != null) {
        timer.cancel(false);
      }
      wakeAt(now, deadlineNanos);
    }

    private void wakeAt(long now, long due) {
      timerDueNanos = due;
      timer = ch.eventLoop().schedule(this::fire, Math.max(0, due - now), TimeUnit.NANOSECONDS);
    }

    private void fire() {
      timer = null;
      if (ch.attr(STATE).get() != this || pending != 0 || deadlineNanos == OFF) {
        return; // disarmed, or a request is in flight: its last response re-arms the deadline
      }
      long now = System.nanoTime();
      if (now - deadlineNanos >= 0) {
        ch.close();
      } else {
        wakeAt(now, deadlineNanos);
      }
    }
  }

  /** Starts the clock for a just-accepted connection: closed unless a request head arrives in time. */
  public static void arm(Channel ch, Timeouts timeouts) {
    State state = new State(ch, timeouts);
    ch.attr(STATE).set(state);
    state.expectHeadWithin(timeouts.firstHead().toNanos());
    // Without this a closed connection's timer would stay queued (and keep the channel) until it fired.
    ch.closeFuture().addListener(f -> disarm(ch));
  }

  /** Stops the clock for good (the connection is a TCP relay, which has no request heads). */
  public static void disarm(Channel ch) {
    State state = ch.attr(STATE).getAndSet(null);
    if (state != null && state.timer != null) {
      state.timer.cancel(false);
      state.timer = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    State state = ctx.channel().attr(STATE).get();
    if (state != null && msg instanceof HttpRequest) {
      state.pending++;
      state.deadlineNanos = OFF;
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
        state.expectHeadWithin(state.idleNanos);
      }
    }
    ctx.write(msg, promise);
  }
}
