package dev.meshid.proxy.inbound;

import dev.meshid.proxy.admin.ProxyMetrics;
import dev.meshid.proxy.tls.SpiffeTrustManager;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the inbound TLS handshake: on success records the peer's identity on the channel (the trust
 * manager has already required a chain to ROOTCA and a SPIFFE ID) and installs the application stage; on
 * failure counts it and closes.
 */
final class HandshakeWatcher extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HandshakeWatcher.class);

  private final InboundContext context;
  private final SpiffeTrustManager trust;

  /** @param trust the verifier of the snapshot this connection's TLS context came from */
  HandshakeWatcher(InboundContext context, SpiffeTrustManager trust) {
    this.context = context;
    this.trust = trust;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (!(evt instanceof SslHandshakeCompletionEvent done)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    if (!done.isSuccess()) {
      context.metrics().handshake(ProxyMetrics.Direction.INBOUND, false);
      log.debug("inbound TLS handshake from {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
      ctx.close();
      return;
    }
    PeerIdentity peer;
    try {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      X509Certificate leaf = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
      peer = PeerIdentity.of(trust.identify(leaf));
    } catch (SSLPeerUnverifiedException | IllegalArgumentException e) {
      context.metrics().handshake(ProxyMetrics.Direction.INBOUND, false);
      log.debug("inbound peer {} has no usable certificate: {}", ctx.channel().remoteAddress(), e.getMessage());
      ctx.close();
      return;
    }
    context.metrics().handshake(ProxyMetrics.Direction.INBOUND, true);
    ctx.channel().attr(PeerIdentity.KEY).set(peer);
    ctx.pipeline().remove(this);
    InboundStages.application(ctx.channel(), context);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("inbound connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
