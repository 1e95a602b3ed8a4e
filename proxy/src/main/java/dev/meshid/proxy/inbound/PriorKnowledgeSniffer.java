package dev.meshid.proxy.inbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Plaintext HTTP: tells HTTP/2 with prior knowledge (RFC 9113 3.3: the connection opens with the preface
 * {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}) from HTTP/1.1, installs the matching stage behind itself and
 * leaves the pipeline, handing over every byte it has seen. An HTTP/1.1 request is recognised at its first
 * byte unless it starts with {@code P} (POST, PUT, PATCH), and then at the first byte that differs.
 */
final class PriorKnowledgeSniffer extends ByteToMessageDecoder {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** What the bytes so far say. */
  enum Verdict { HTTP2, HTTP1, UNDECIDED }

  private final InboundContext context;

  PriorKnowledgeSniffer(InboundContext context) {
    this.context = context;
  }

  /** The verdict on the readable bytes of {@code in} (not consumed). */
  static Verdict classify(ByteBuf in) {
    int n = Math.min(in.readableBytes(), PREFACE.length);
    int start = in.readerIndex();
    for (int i = 0; i < n; i++) {
      if (in.getByte(start + i) != PREFACE[i]) {
        return Verdict.HTTP1;
      }
    }
    return n == PREFACE.length ? Verdict.HTTP2 : Verdict.UNDECIDED;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (classify(in)) {
      case UNDECIDED -> {
        return;
      }
      case HTTP2 -> Http2Inbound.h2(ctx.channel(), context);
      case HTTP1 -> InboundStages.http1(ctx.channel(), context);
    }
    ctx.pipeline().remove(this);
  }
}
