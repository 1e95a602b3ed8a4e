package dev.meshid.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnvoyFormatTest {
  @Test
  void format_allFieldsSet_followsEnvoysDefaultFormat() {
    AccessLogEntry e = new AccessLogEntry(Instant.parse("2016-04-15T20:17:00.310Z"), "GET", "/details/0",
        "HTTP/1.1", 200, null, 0, 178, 12, 9, "10.0.0.1", "curl/7.88", "req-1", "details", "127.0.0.1:9080");

    assertThat(EnvoyFormat.format(e)).isEqualTo("[2016-04-15T20:17:00.310Z] \"GET /details/0 HTTP/1.1\" 200 - 0 178 "
        + "12 9 \"10.0.0.1\" \"curl/7.88\" \"req-1\" \"details\" \"127.0.0.1:9080\"\n");
  }

  @Test
  void format_unsetValues_printAsDash() {
    AccessLogEntry e = new AccessLogEntry(Instant.parse("2024-01-02T03:04:05.006Z"), "POST", "/x", "HTTP/1.1", 502,
        "NR", 5, 40, 1, -1, null, "", null, "evil.example.org", null);

    assertThat(EnvoyFormat.format(e)).isEqualTo("[2024-01-02T03:04:05.006Z] \"POST /x HTTP/1.1\" 502 NR 5 40 1 - "
        + "\"-\" \"-\" \"-\" \"evil.example.org\" \"-\"\n");
  }
}
