package dev.meshid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void shell_quotesOnlyWhatNeedsIt() {
        assertThat(Commands.shell(List.of("curl", "-H", "Host: details", "http://127.0.0.1:1/x", "it's")))
                .isEqualTo("curl -H 'Host: details' http://127.0.0.1:1/x 'it'\\''s'");
    }

    @Test
    void rawHttp_readsStatusAndBody_plainAndChunked() throws IOException {
        RawHttp.Response plain = RawHttp.parse(stream("HTTP/1.1 403 Forbidden\r\ncontent-length: 19\r\n\r\n"
                + "RBAC: access denied"));
        RawHttp.Response chunked = RawHttp.parse(stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"));

        assertThat(plain).isEqualTo(new RawHttp.Response(403, "RBAC: access denied"));
        assertThat(chunked).isEqualTo(new RawHttp.Response(200, "{\"a\":1}"));
    }

    @Test
    void rawHttp_aClosedConnectionIsAnError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawHttp.parse(stream("")))
                .isInstanceOf(IOException.class).hasMessageContaining("without a response");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
