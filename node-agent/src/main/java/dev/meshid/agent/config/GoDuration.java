package dev.meshid.agent.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Go's syntax ({@code 90s}, {@code 24h}, {@code 1h30m}, {@code 1.5h}, {@code 300ms}), because
 * Istio's settings such as {@code SECRET_TTL} use it. The agent does not depend on the CA module, so it
 * carries its own small parser.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * Parses a non-negative Go duration.
     *
     * @throws IllegalArgumentException if the text is not one
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("not a duration");
            }
            String number = m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1);
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            at = m.end();
        }
        try {
            return Duration.ofNanos(nanos.toBigInteger().longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too long");
        }
    }

    /** The Go form of {@code d} with hours, minutes and (fractional) seconds, e.g. {@code 24h0m0s} -> {@code 24h}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (d.toHours() > 0) {
            sb.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || d.toNanosPart() > 0) {
            BigDecimal secs = BigDecimal.valueOf(d.toSecondsPart())
                    .add(BigDecimal.valueOf(d.toNanosPart(), 9)).stripTrailingZeros();
            sb.append(secs.toPlainString()).append('s');
        }
        return sb.toString();
    }
}
