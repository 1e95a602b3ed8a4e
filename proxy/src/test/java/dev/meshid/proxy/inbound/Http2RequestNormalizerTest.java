package dev.meshid.proxy.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import org.junit.jupiter.api.Test;

/** The HTTP/2 request as Netty's conversion hands it over, then normalized for authorization and the app. */
class Http2RequestNormalizerTest {

  private static FullHttpRequest converted(Http2Headers h2) throws Http2Exception {
    return HttpConversionUtil.toFullHttpRequest(3, h2, ByteBufAllocator.DEFAULT, true);
  }

  @Test
  void conversion_authorityAndADifferentHostHeader_isRefusedBeforeAuthorization() {
    // Netty's conversion refuses the request (a stream error: that stream is reset), so authorization can never
    // check one host while the app reads another.
    assertThatThrownBy(() -> converted(new DefaultHttp2Headers().method("GET").path("/details/0").scheme("https")
        .authority("details.default.svc:9080").add("host", "evil.example")))
        .isInstanceOf(Http2Exception.class).hasMessageContaining("host");
  }

  @Test
  void conversion_authorityAndTheSameHostHeader_givesOneHost() throws Exception {
    FullHttpRequest r = converted(new DefaultHttp2Headers().method("GET").path("/").scheme("https")
        .authority("details:9080").add("host", "details:9080"));
    try {
      assertThat(r.headers().getAll(HttpHeaderNames.HOST)).containsExactly("details:9080");
    } finally {
      r.release();
    }
  }

  @Test
  void normalize_conversionHeaders_areRemoved_andOrdinaryOnesKept() throws Exception {
    FullHttpRequest r = converted(new DefaultHttp2Headers().method("POST").path("/x").scheme("http")
        .authority("a:1").add("x-request-id", "r1").add("x-http2-stream-weight", "16"));
    assertThat(r.headers().names()).contains("x-http2-stream-id", "x-http2-scheme");
    try {
      Http2RequestNormalizer.normalize(r.headers());

      assertThat(r.headers().names()).noneMatch(n -> n.toLowerCase().startsWith("x-http2-"));
      assertThat(r.headers().get("x-request-id")).isEqualTo("r1");
      assertThat(r.headers().get(HttpHeaderNames.HOST)).isEqualTo("a:1");
      assertThat(r.uri()).isEqualTo("/x");
    } finally {
      r.release();
    }
  }
}
