package dev.meshid.proxy.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The admin port: {@code GET /healthz/ready} (200 once the proxy has its certificate and trust bundle,
 * else 503), {@code GET /stats/prometheus} and {@code /metrics} (Prometheus text), {@code GET /config}
 * (the effective configuration).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final ProxyMetrics metrics;
  private final Supplier<String> notReadyReason;
  private final Supplier<String> config;

  AdminHandler(ProxyMetrics metrics, Supplier<String> notReadyReason, Supplier<String> config) {
    this.metrics = metrics;
    this.notReadyReason = notReadyReason;
    this.config = config;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = request.uri();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    FullHttpResponse response;
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n", "text/plain");
    } else {
      response = switch (path) {
        case "/healthz/ready" -> {
          String why = notReadyReason.get();
          yield why == null ? text(HttpResponseStatus.OK, "ready\n", "text/plain")
              : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready: " + why + "\n", "text/plain");
        }
        case "/stats/prometheus", "/metrics" ->
            text(HttpResponseStatus.OK, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8");
        case "/config" -> text(HttpResponseStatus.OK, config.get() + "\n", "text/plain");
        default -> text(HttpResponseStatus.NOT_FOUND, "not found; try /healthz/ready, /stats/prometheus\n",
            "text/plain");
      };
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
    FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(r, r.content().readableBytes());
    return r;
  }
}
