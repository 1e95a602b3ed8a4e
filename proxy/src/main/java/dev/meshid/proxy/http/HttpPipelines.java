package dev.meshid.proxy.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

/** The common front of every downstream HTTP/1.1 pipeline. */
public final class HttpPipelines {
  private HttpPipelines() {}

  /**
   * Adds the codec (Netty's limits: 4 KiB request line, 8 KiB of headers, answered 400 beyond them), the
   * {@link HeadDeadline} watch, {@code 100-continue} handling and body aggregation (16 MiB, answered 413
   * beyond it), then {@code handler}.
   */
  public static void server(ChannelPipeline p, ProxyServerHandler handler) {
    p.addLast("http", new HttpServerCodec());
    p.addLast("head-deadline", new HeadDeadline());
    p.addLast("continue", new HttpServerExpectContinueHandler());
    p.addLast("single", new SingleContentAggregator());
    p.addLast("aggregate", new HttpObjectAggregator(UpstreamPool.MAX_BODY));
    p.addLast("proxy", handler);
  }
}
