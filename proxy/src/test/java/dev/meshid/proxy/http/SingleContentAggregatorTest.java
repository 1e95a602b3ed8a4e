package dev.meshid.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import io.netty.channel.ChannelHandler;

/** The fast path in front of the aggregator delivers the same messages as the aggregator alone. */
class SingleContentAggregatorTest {

  record Case(String name, Supplier<ChannelHandler> decoder, List<String> reads, boolean fastPath) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    Supplier<ChannelHandler> req = HttpRequestDecoder::new;
    Supplier<ChannelHandler> resp = HttpResponseDecoder::new;
    return Stream.of(
        new Case("GET without a body", req, List.of("GET /details/0 HTTP/1.1\r\nHost: d\r\nX-A: 1\r\n\r\n"), true),
        new Case("two keep-alive GETs in one read", req,
            List.of("GET /a HTTP/1.1\r\nHost: d\r\n\r\nGET /b HTTP/1.1\r\nHost: d\r\n\r\n"), true),
        new Case("POST with its body in one read", req,
            List.of("POST /p HTTP/1.1\r\nHost: d\r\nContent-Length: 5\r\n\r\nhello"), true),
        new Case("POST with its body in two reads", req,
            List.of("POST /p HTTP/1.1\r\nHost: d\r\nContent-Length: 10\r\n\r\nhello", "world"), false),
        new Case("chunked POST", req,
            List.of("POST /c HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), false),
        new Case("response with a body", resp,
            List.of("HTTP/1.1 200 OK\r\nContent-Length: 19\r\nContent-Type: text/plain\r\n\r\nhello from backend\n"), true),
        new Case("response without Content-Length, closed", resp, List.of("HTTP/1.0 200 OK\r\n\r\nbye"), false),
        new Case("POST declaring more than the hold limit", req,
            List.of("POST /big HTTP/1.1\r\nHost: d\r\nContent-Length: 70000\r\n\r\n" + "b".repeat(70000)), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void channelRead_anyMessage_sameAsTheAggregatorAlone(Case c) {
    List<String> expected = run(new EmbeddedChannel(c.decoder().get(), new HttpObjectAggregator(1 << 20)), c.reads());
    EmbeddedChannel fast = new EmbeddedChannel(c.decoder().get(), new SingleContentAggregator(),
        new HttpObjectAggregator(1 << 20));
    List<String> actual = run(fast, c.reads());
    assertThat(actual).isNotEmpty().isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void channelRead_wholeBodyInOnePiece_noCompositeBuffer(Case c) {
    EmbeddedChannel ch = new EmbeddedChannel(c.decoder().get(), new SingleContentAggregator(),
        new HttpObjectAggregator(1 << 20));
    for (String r : c.reads()) {
      ch.writeInbound(Unpooled.copiedBuffer(r, StandardCharsets.US_ASCII));
    }
    ch.finish();
    FullHttpMessage m = ch.readInbound();
    try {
      assertThat(m.content() instanceof CompositeByteBuf).as("aggregated by HttpObjectAggregator").isNotEqualTo(c.fastPath());
    } finally {
      m.release();
      Object more;
      while ((more = ch.readInbound()) != null) {
        ((FullHttpMessage) more).release();
      }
    }
  }

  @Test
  void channelRead_headDeclaringTooLargeABody_isAnswered413BeforeTheBodyIsSent() {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(), new SingleContentAggregator(),
        new HttpObjectAggregator(1 << 20));
    ch.writeInbound(Unpooled.copiedBuffer("POST /p HTTP/1.1\r\nHost: d\r\nContent-Length: " + (2 << 20)
        + "\r\n\r\n", StandardCharsets.US_ASCII));

    assertThat(outbound(ch)).startsWith("HTTP/1.1 413");
    ch.finishAndReleaseAll();
  }

  @Test
  void channelRead_expectContinue_isAnswered100SoTheClientSendsItsBody() {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(), new SingleContentAggregator(),
        new HttpObjectAggregator(1 << 20));
    ch.writeInbound(Unpooled.copiedBuffer("POST /p HTTP/1.1\r\nHost: d\r\nContent-Length: 5\r\n"
        + "Expect: 100-continue\r\n\r\n", StandardCharsets.US_ASCII));

    assertThat(outbound(ch)).startsWith("HTTP/1.1 100 Continue");
    ch.writeInbound(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
    FullHttpRequest request = ch.readInbound();
    try {
      assertThat(request.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
    } finally {
      request.release();
      ch.finishAndReleaseAll();
    }
  }

  private static String outbound(EmbeddedChannel ch) {
    Object out = ch.readOutbound();
    assertThat(out).as("a response written at once").isNotNull();
    EmbeddedChannel encoder = new EmbeddedChannel(
        new io.netty.handler.codec.http.HttpResponseEncoder());
    encoder.writeOutbound(out);
    ByteBuf bytes = encoder.readOutbound();
    try {
      return bytes.toString(StandardCharsets.US_ASCII);
    } finally {
      bytes.release();
      encoder.finishAndReleaseAll();
    }
  }

  // Each message as its start line, sorted headers, trailers and body.
  private static List<String> run(EmbeddedChannel ch, List<String> reads) {
    for (String r : reads) {
      ch.writeInbound(Unpooled.copiedBuffer(r, StandardCharsets.US_ASCII));
    }
    ch.finish();
    List<String> out = new ArrayList<>();
    FullHttpMessage m;
    while ((m = ch.readInbound()) != null) {
      String first = m instanceof FullHttpRequest q ? q.method() + " " + q.uri() + " " + q.protocolVersion()
          : ((FullHttpResponse) m).status() + " " + m.protocolVersion();
      ByteBuf body = m.content();
      out.add(first + " " + sorted(m.headers().entries()) + " trailers " + sorted(m.trailingHeaders().entries())
          + " body " + body.toString(StandardCharsets.US_ASCII) + " ok " + m.decoderResult().isSuccess());
      m.release();
    }
    return out;
  }

  private static List<String> sorted(List<Map.Entry<String, String>> entries) {
    return entries.stream().map(e -> e.getKey().toLowerCase() + "=" + e.getValue()).sorted().toList();
  }
}
