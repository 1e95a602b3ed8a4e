package dev.meshid.proxy.inbound;

import dev.meshid.proxy.http.ExchangeRecorder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound HTTP/2: which HTTP a connection speaks, and the HTTP/2 connection stage. On TLS the client's ALPN
 * choice decides ({@code h2}, else HTTP/1.1); on plaintext the opening bytes do (the HTTP/2 connection
 * preface, "prior knowledge", else HTTP/1.1). An HTTP/2 connection is split into one child channel per
 * stream, and each stream runs the same request handling as an HTTP/1.1 connection ({@link
 * Http2StreamInitializer}); streams are independent, so a denied one does not touch the others.
 */
final class Http2Inbound {
  /** What the TLS server offers in ALPN when HTTP/2 is on, preferred first. */
  static final List<String> ALPN = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
  /**
   * Streams a client may have open at once on one connection. Each may buffer a request body (up to {@code
   * UpstreamPool.MAX_BODY}), so the bound is what one connection can make the proxy hold; 100 is the usual
   * server default (nginx, Go).
   */
  static final int MAX_CONCURRENT_STREAMS = 100;
  private static final Logger log = LoggerFactory.getLogger(Http2Inbound.class);
  private static final ChannelHandler CONNECTION_ERRORS = new ConnectionErrors();

  private Http2Inbound() {}

  /** Adds the HTTP stage for a connection whose TLS (if any) is done. */
  static void http(Channel ch, InboundContext context) {
    if (!context.http2()) {
      InboundStages.http1(ch, context);
      return;
    }
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl == null) {
      ch.pipeline().addLast("h2c-sniff", new PriorKnowledgeSniffer(context));
    } else if (ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
      h2(ch, context);
    } else {
      InboundStages.http1(ch, context);
    }
  }

  /** Adds the HTTP/2 stage: the frame codec, then one child channel per stream. */
  static void h2(Channel ch, InboundContext context) {
    ExchangeRecorder r = context.recorder();
    InboundContext streams = context.withRecorder(
        new ExchangeRecorder(r.direction(), new Http2AccessLog(r.accessLog()), r.metrics(), r.clock()));
    ChannelPipeline p = ch.pipeline();
    p.addLast("h2", Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
        .build());
    p.addLast("h2-streams", new Http2MultiplexHandler(new Http2StreamInitializer(streams)));
    p.addLast("h2-errors", CONNECTION_ERRORS);
  }

  /** The end of an HTTP/2 connection's pipeline: what reaches it is a broken connection. */
  @ChannelHandler.Sharable
  private static final class ConnectionErrors extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("inbound HTTP/2 connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
