package dev.meshid.proxy.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolSnifferTest {
  @Test
  void looksLikeTls_clientHelloRecord_isTls() {
    assertThat(ProtocolSniffer.looksLikeTls(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00})))
        .isTrue();
  }

  @Test
  void looksLikeTls_httpRequest_isPlaintext() {
    assertThat(ProtocolSniffer.looksLikeTls(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII)))
        .isFalse();
  }

  @Test
  void looksLikeTls_otherRecordType_isPlaintext() {
    assertThat(ProtocolSniffer.looksLikeTls(Unpooled.wrappedBuffer(new byte[] {0x17, 0x03, 0x03}))).isFalse();
  }
}
