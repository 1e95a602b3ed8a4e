package dev.meshid.proxy.inbound;

import dev.meshid.policies.AuthzDecision;
import dev.meshid.policies.Request;
import dev.meshid.proxy.admin.ProxyMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound TCP: authorizes the connection once (peer identity, addresses, port; HTTP-only policy fields
 * narrowed or widened as Istio does), closes it when denied, otherwise relays bytes to the app in both
 * directions with back-pressure (each side reads only when the other has written).
 */
final class InboundTcpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(InboundTcpHandler.class);

  private final InboundContext context;
  private Channel upstream;
  private boolean started;

  InboundTcpHandler(InboundContext context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    begin(ctx);
    ctx.fireChannelActive();
  }

  private void begin(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    Channel down = ctx.channel();
    PeerIdentity peer = down.attr(PeerIdentity.KEY).get();
    Request.Builder b = Request.builder().tcp().peer(peer == null ? null : peer.id().toString())
        .port(context.workloadPort());
    if (down.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
      b.sourceIp(remote.getAddress());
    }
    AuthzDecision decision = context.policies().current().authorize(b.build());
    if (!decision.allowed()) {
      context.metrics().denied(ProxyMetrics.Direction.INBOUND, decision.reason().name());
      log.debug("TCP connection from {} denied: {}", peer == null ? "plaintext" : peer.id(), decision.describe());
      down.close();
      return;
    }
    down.config().setAutoRead(false);
    new Bootstrap().group(down.eventLoop()).channel(context.transport().channel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new Relay(down))
        .connect(context.app().host(), context.app().port())
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            log.debug("app {} unreachable: {}", context.app(), f.cause().toString());
            down.close();
            return;
          }
          upstream = f.channel();
          down.read();
          upstream.read();
        });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (upstream == null || !upstream.isActive()) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    upstream.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        f.channel().close();
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (upstream != null) {
      Relay.closeOnFlush(upstream);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("inbound TCP {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    Relay.closeOnFlush(ctx.channel());
  }

  /** The app side of a relay: bytes back to the downstream connection. */
  static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel down;

    Relay(Channel down) {
      this.down = down;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      down.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          ctx.channel().read();
        } else {
          f.channel().close();
        }
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closeOnFlush(down);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      closeOnFlush(ctx.channel());
    }

    static void closeOnFlush(Channel ch) {
      if (ch.isActive()) {
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
