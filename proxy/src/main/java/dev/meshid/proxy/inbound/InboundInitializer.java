package dev.meshid.proxy.inbound;

import dev.meshid.policies.MtlsMode;
import dev.meshid.proxy.http.HeadDeadline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * Sets up each accepted inbound connection by the PeerAuthentication mode in force for the workload port
 * when it arrives: STRICT starts with TLS (client certificate required), DISABLE goes straight to the
 * application protocol, PERMISSIVE first looks at the opening bytes.
 */
public final class InboundInitializer extends ChannelInitializer<Channel> {
  private final InboundContext context;
  private final HeadDeadline.Timeouts timeouts;

  public InboundInitializer(InboundContext context, HeadDeadline.Timeouts timeouts) {
    this.context = context;
    this.timeouts = timeouts;
  }

  @Override
  protected void initChannel(Channel ch) {
    HeadDeadline.arm(ch, timeouts);
    MtlsMode mode = context.policies().current().mtlsMode(context.workloadPort());
    switch (mode) {
      case DISABLE -> InboundStages.application(ch, context);
      case STRICT -> InboundStages.tls(ch, context);
      default -> ch.pipeline().addLast("sniff", new ProtocolSniffer(context));
    }
  }
}
