package dev.meshid.ca.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class CapturedLogTest {
    @Test
    void lines_countsOnlyLinesWithEveryPart_andCloseRestoresStderr() {
        PrintStream before = System.err;
        CapturedLog log = new CapturedLog();
        try {
            System.err.println("WARN one thing went wrong");
            System.err.println("WARN another");
            System.err.print('!');
            System.err.println();
            System.err.println("INFO one thing went right");

            assertThat(log.lines("WARN")).isEqualTo(2);
            assertThat(log.lines("one thing", "WARN")).isEqualTo(1);
            assertThat(log.lines("absent")).isZero();
            assertThat(log.text()).contains("INFO one thing went right").contains("!");
        } finally {
            log.close();
        }
        System.err.println("after close");

        assertThat(System.err).isSameAs(before);
        assertThat(log.text()).doesNotContain("after close");
    }
}
