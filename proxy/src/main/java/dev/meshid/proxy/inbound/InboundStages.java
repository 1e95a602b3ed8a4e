package dev.meshid.proxy.inbound;

import dev.meshid.proxy.config.InboundProtocol;
import dev.meshid.proxy.http.HeadDeadline;
import dev.meshid.proxy.http.HttpPipelines;
import dev.meshid.proxy.tls.TlsSnapshot;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

/** The stages an inbound connection passes: TLS (optional), then HTTP or TCP towards the app. */
final class InboundStages {
  private InboundStages() {}

  /**
   * Adds the TLS stage with the newest credentials; the application stage follows a successful handshake.
   * Refuses (closes) the connection when no certificate has arrived from SDS yet.
   *
   * @return false if the connection was refused
   */
  static boolean tls(Channel ch, InboundContext context) {
    TlsSnapshot snapshot = context.tls().currentOrNull();
    if (snapshot == null) {
      context.metrics().refused("not_ready");
      ch.close();
      return false;
    }
    SslHandler ssl = snapshot.server().newHandler(ch.alloc());
    ChannelPipeline p = ch.pipeline();
    p.addLast("tls", ssl);
    p.addLast("handshake", new HandshakeWatcher(context, snapshot.trustManager()));
    return true;
  }

  /**
   * Adds the application stage: per-request HTTP proxying (HTTP/2 when the client chose it, see
   * {@link Http2Inbound}), or a per-connection TCP relay.
   */
  static void application(Channel ch, InboundContext context) {
    if (context.protocol() == InboundProtocol.HTTP) {
      Http2Inbound.http(ch, context);
    } else {
      HeadDeadline.disarm(ch);
      ch.pipeline().addLast("tcp", new InboundTcpHandler(context));
    }
  }

  /** Adds the HTTP/1.1 stage. */
  static void http1(Channel ch, InboundContext context) {
    HttpPipelines.server(ch.pipeline(), new InboundHttpHandler(context));
  }
}
