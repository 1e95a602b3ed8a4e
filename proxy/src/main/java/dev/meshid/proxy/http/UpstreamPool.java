package dev.meshid.proxy.http;

import dev.meshid.pki.id.SpiffeId;
import dev.meshid.proxy.admin.ProxyMetrics;
import dev.meshid.proxy.tls.LiveTls;
import dev.meshid.proxy.tls.SpiffeTrustManager;
import dev.meshid.proxy.tls.TlsSnapshot;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * HTTP/1.1 connections to upstreams (the local app, or other proxies over mTLS), pooled per event loop and
 * destination. A request is sent on the event loop of the downstream connection that carries it, over an
 * idle connection of that loop if there is one: no locks, no thread hops. A request that meets a pooled
 * connection the upstream had already closed is sent again once on a new connection.
 *
 * <p>mTLS connections use the newest {@link TlsSnapshot} when they open; after the handshake the server's
 * SPIFFE ID is compared with the destination's expected one.
 */
public final class UpstreamPool {
  /** Largest request or response body the proxy buffers. */
  public static final int MAX_BODY = 16 * 1024 * 1024;
  private static final int MAX_IDLE_PER_DESTINATION = 512;

  private final Transport transport;
  private final LiveTls tls;
  private final ProxyMetrics metrics;
  private final boolean keepAlive;
  private final long requestTimeoutMillis;
  private final int connectTimeoutMillis;
  private final FastThreadLocal<Map<Destination, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
    @Override
    protected Map<Destination, ArrayDeque<Channel>> initialValue() {
      return new HashMap<>();
    }
  };

  /**
   * @param keepAlive pool connections; off closes each after one exchange (one handshake per request)
   */
  public UpstreamPool(Transport transport, LiveTls tls, ProxyMetrics metrics, boolean keepAlive,
      Duration connectTimeout, Duration requestTimeout) {
    this.transport = transport;
    this.tls = tls;
    this.metrics = metrics;
    this.keepAlive = keepAlive;
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    this.requestTimeoutMillis = requestTimeout.toMillis();
  }

  boolean keepAlive() {
    return keepAlive;
  }

  /**
   * Sends {@code request} (ownership passes here) to {@code destination}; {@code callback} runs on
   * {@code loop}. Must be called on {@code loop}.
   */
  public void send(EventLoop loop, Destination destination, FullHttpRequest request, UpstreamCallback callback) {
    HttpUtil.setKeepAlive(request, keepAlive);
    Channel pooled = pollIdle(destination);
    if (pooled == null) {
      connect(loop, destination, request, callback);
      return;
    }
    // Keep a reference: if the pooled connection turns out dead, the request goes again on a new one. The copy
    // shares the headers (the encoder only reads them) and has its own body indexes; retainedDuplicate() would
    // also copy every header, the largest allocation per proxied request.
    FullHttpRequest copy = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
        request.content().retainedDuplicate(), request.headers(), request.trailingHeaders());
    dispatch(pooled, copy, new UpstreamCallback() {
      @Override
      public void onResponse(FullHttpResponse response) {
        request.release();
        callback.onResponse(response);
      }

      @Override
      public void onFailure(UpstreamFailure failure) {
        if (failure.retryable()) {
          connect(loop, destination, request, callback);
        } else {
          request.release();
          callback.onFailure(failure);
        }
      }
    }, true);
  }

  void release(Channel ch, Destination destination) {
    if (!ch.isActive()) {
      return;
    }
    ArrayDeque<Channel> q = idle.get().computeIfAbsent(destination, d -> new ArrayDeque<>());
    if (q.size() >= MAX_IDLE_PER_DESTINATION) {
      ch.close();
    } else {
      q.addFirst(ch); // LIFO: the most recently used connection is the likeliest to be alive
    }
  }

  void forget(Channel ch, Destination destination) {
    ArrayDeque<Channel> q = idle.get().get(destination);
    if (q != null) {
      q.remove(ch);
    }
  }

  private Channel pollIdle(Destination destination) {
    ArrayDeque<Channel> q = idle.get().get(destination);
    if (q == null) {
      return null;
    }
    Channel ch;
    while ((ch = q.pollFirst()) != null) {
      if (ch.isActive()) {
        return ch;
      }
    }
    return null;
  }

  private void connect(EventLoop loop, Destination destination, FullHttpRequest request, UpstreamCallback callback) {
    TlsSnapshot snapshot = destination.mtls() ? tls.currentOrNull() : null;
    if (destination.mtls() && snapshot == null) {
      request.release();
      callback.onFailure(new UpstreamFailure(503, "UF", "no certificate from SDS yet", false));
      return;
    }
    String host = destination.address().host();
    int port = destination.address().port();
    UpstreamHandler handler = new UpstreamHandler(this, destination);
    SslHandler[] ssl = new SslHandler[1];
    Bootstrap b = new Bootstrap().group(loop).channel(transport.channel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            if (snapshot != null) {
              // With keep-alive off, no host/port: no session to resume, so every connection is a full handshake.
              ssl[0] = keepAlive ? snapshot.client().newHandler(ch.alloc(), host, port)
                  : snapshot.client().newHandler(ch.alloc());
              p.addLast("tls", ssl[0]);
            }
            p.addLast(new ReadMarker(handler));
            p.addLast(new HttpClientCodec());
            p.addLast(new SingleContentAggregator());
            p.addLast(new HttpObjectAggregator(MAX_BODY));
            p.addLast(handler);
          }
        });
    b.connect(destination.socketAddress()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        request.release();
        callback.onFailure(new UpstreamFailure(503, "UF",
            "upstream connect error to " + destination.address() + ": " + f.cause().getMessage(), false));
        return;
      }
      if (ssl[0] == null) {
        dispatch(f.channel(), request, callback, false);
        return;
      }
      ssl[0].handshakeFuture().addListener(hf -> {
        String problem = hf.isSuccess() ? checkPeer(ssl[0], destination.expectedPeer(), snapshot.trustManager())
            : "TLS error: "
            + hf.cause().getMessage();
        metrics.handshake(ProxyMetrics.Direction.OUTBOUND, problem == null);
        if (problem != null) {
          f.channel().close();
          request.release();
          callback.onFailure(new UpstreamFailure(503, "UF", "upstream " + destination.address() + ": " + problem,
              false));
          return;
        }
        dispatch(f.channel(), request, callback, false);
      });
    });
  }

  /** Null when the server's identity is acceptable, else why not. */
  private static String checkPeer(SslHandler ssl, Optional<SpiffeId> expected, SpiffeTrustManager trust) {
    SpiffeId actual;
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      actual = trust.identify((X509Certificate) chain[0]).id();
    } catch (SSLPeerUnverifiedException e) {
      return "the server sent no certificate";
    } catch (IllegalArgumentException e) {
      return "the server certificate carries no SPIFFE ID";
    }
    if (expected.isPresent() && !expected.get().equals(actual)) {
      return "the server presented " + actual + ", expected " + expected.get();
    }
    return null;
  }

  private void dispatch(Channel ch, FullHttpRequest request, UpstreamCallback callback, boolean reused) {
    UpstreamHandler handler = ch.pipeline().get(UpstreamHandler.class);
    handler.start(callback, reused, requestTimeoutMillis);
    ch.writeAndFlush(request).addListener((ChannelFutureListener) wf -> {
      if (!wf.isSuccess()) {
        wf.channel().close(); // the handler reports the failure when the channel goes inactive
      }
    });
  }
}
