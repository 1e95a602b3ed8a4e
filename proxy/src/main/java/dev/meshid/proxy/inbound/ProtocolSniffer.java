package dev.meshid.proxy.inbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * PERMISSIVE mode: mTLS and plaintext on one port. A TLS connection opens with a handshake record,
 * content type 22 (0x16) and major version 3 (0x03); anything else is taken as plaintext. The sniffer
 * waits for those two bytes, installs the matching stages behind itself and leaves the pipeline, handing
 * over the bytes it has read.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
  private static final int TLS_HANDSHAKE = 0x16;
  private static final int TLS_MAJOR = 0x03;

  private final InboundContext context;

  ProtocolSniffer(InboundContext context) {
    this.context = context;
  }

  /** True when {@code in} starts like a TLS record (needs 2 readable bytes). */
  static boolean looksLikeTls(ByteBuf in) {
    int i = in.readerIndex();
    return in.getUnsignedByte(i) == TLS_HANDSHAKE && in.getUnsignedByte(i + 1) == TLS_MAJOR;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 2) {
      return;
    }
    if (looksLikeTls(in)) {
      if (!InboundStages.tls(ctx.channel(), context)) {
        in.skipBytes(in.readableBytes());
        return;
      }
    } else {
      InboundStages.application(ctx.channel(), context);
    }
    ctx.pipeline().remove(this);
  }
}
