package dev.meshid.ca.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies what is written to {@code System.err} (where slf4j-simple writes the programs' logs in tests) while open,
 * so a test can assert or count log lines; everything still reaches the original stream. The modules that test
 * against a running CA share it through this module's test-jar.
 */
public final class CapturedLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    /** Starts copying {@code System.err}; {@link #close()} puts the original stream back. */
    public CapturedLog() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (copy) {
                    copy.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Everything logged so far. */
    public String text() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /** How many log lines so far contain every one of {@code parts}. */
    public long lines(String... parts) {
        return text().lines().filter(l -> Arrays.stream(parts).allMatch(l::contains)).count();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
