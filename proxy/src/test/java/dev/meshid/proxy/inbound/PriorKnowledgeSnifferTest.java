package dev.meshid.proxy.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.proxy.inbound.PriorKnowledgeSniffer.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriorKnowledgeSnifferTest {
  private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

  @ParameterizedTest(name = "{0} bytes of the preface -> {1}")
  @CsvSource({"1, UNDECIDED", "3, UNDECIDED", "23, UNDECIDED", "24, HTTP2"})
  void classify_prefixOfThePreface_waitsUntilComplete(int length, Verdict expected) {
    assertThat(PriorKnowledgeSniffer.classify(buf(PREFACE.substring(0, length)))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'GET / HTTP/1.1\r\n'", "'POST /x HTTP/1.1\r\n'", "'PUT /x HTTP/1.1\r\n'", "'PRI * HTTP/1.1\r\n'", "'PRI / HTTP/1.1'"})
  void classify_http1Request_isHttp1AsSoonAsAByteDiffers(String start) {
    assertThat(PriorKnowledgeSniffer.classify(buf(start))).isEqualTo(Verdict.HTTP1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"0", "5"})
  void classify_prefaceFollowedByFrames_isHttp2AndConsumesNothing(int extra) {
    ByteBuf in = buf(PREFACE + "x".repeat(extra));

    assertThat(PriorKnowledgeSniffer.classify(in)).isEqualTo(Verdict.HTTP2);
    assertThat(in.readableBytes()).isEqualTo(PREFACE.length() + extra);
  }

  private static ByteBuf buf(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }
}
