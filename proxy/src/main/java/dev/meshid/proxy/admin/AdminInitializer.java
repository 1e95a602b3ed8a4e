package dev.meshid.proxy.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.function.Supplier;

/** The admin listener's pipeline. */
public final class AdminInitializer extends ChannelInitializer<Channel> {
  private final ProxyMetrics metrics;
  private final Supplier<String> notReadyReason;
  private final Supplier<String> config;

  /**
   * @param notReadyReason null when ready, else why not
   * @param config the effective configuration text
   */
  public AdminInitializer(ProxyMetrics metrics, Supplier<String> notReadyReason, Supplier<String> config) {
    this.metrics = metrics;
    this.notReadyReason = notReadyReason;
    this.config = config;
  }

  @Override
  protected void initChannel(Channel ch) {
    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
        new AdminHandler(metrics, notReadyReason, config));
  }
}
