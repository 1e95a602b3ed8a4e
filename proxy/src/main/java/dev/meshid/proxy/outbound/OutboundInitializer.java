package dev.meshid.proxy.outbound;

import dev.meshid.proxy.http.Destination;
import dev.meshid.proxy.http.HeadDeadline;
import dev.meshid.proxy.http.HttpPipelines;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.Map;

/** Plain HTTP/1.1 from the local app. */
public final class OutboundInitializer extends ChannelInitializer<Channel> {
  private final OutboundContext context;
  private final Map<String, Destination> routed;

  private final HeadDeadline.Timeouts timeouts;

  public OutboundInitializer(OutboundContext context, HeadDeadline.Timeouts timeouts) {
    this.context = context;
    this.routed = context.routedDestinations();
    this.timeouts = timeouts;
  }

  @Override
  protected void initChannel(Channel ch) {
    HeadDeadline.arm(ch, timeouts);
    HttpPipelines.server(ch.pipeline(), new OutboundHttpHandler(context, routed));
  }
}
