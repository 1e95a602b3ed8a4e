package dev.meshid.settings;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Go's syntax ({@code time.ParseDuration}), because Istio's settings use it: a sequence of
 * decimal numbers, each with an optional fraction and a unit, such as {@code 90s}, {@code 24h},
 * {@code 2160h}, {@code 1h30m}, {@code 1.5h}, {@code 300ms}; a lone {@code 0} is zero. Units: {@code ns},
 * {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}. No days: Go has none either.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * Parses a Go duration.
     *
     * @throws IllegalArgumentException naming the text and showing valid examples
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text);
        }
        String s = text.trim();
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(text);
            }
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            at = m.end();
        }
        Duration d;
        try {
            d = Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long or too precise");
        }
        return negative ? d.negated() : d;
    }

    /** The shortest Go form, such as {@code 24h}, {@code 1h30m}, {@code 90s}, {@code 1.5s}; {@code 0s} for zero. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder(d.isNegative() ? "-" : "");
        Duration a = d.abs();
        long hours = a.toHours();
        int minutes = a.toMinutesPart();
        int seconds = a.toSecondsPart();
        int nanos = a.toNanosPart();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (seconds > 0 || nanos > 0) {
            sb.append(seconds);
            if (nanos > 0) {
                sb.append('.').append(String.format("%09d", nanos).replaceAll("0+$", ""));
            }
            sb.append('s');
        }
        return sb.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration; use Go's syntax, e.g. 90s, 30m, "
                + "24h, 2160h or 1h30m");
    }
}
