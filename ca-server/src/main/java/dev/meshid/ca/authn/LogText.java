package dev.meshid.ca.authn;

import java.util.Objects;

/** Makes values that came from a client safe to put in a log line: quoted, shortened, no control characters. */
final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    static String quote(Object value) {
        return value == null ? "(missing)" : '"' + clean(Objects.toString(value)) + '"';
    }

    /** The text without control characters (escaped) and cut to a sane length. */
    static String clean(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX) + 3);
        for (int i = 0; i < s.length() && i < MAX; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : c);
        }
        if (s.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }

    /** A list of client-supplied strings, e.g. token audiences, as {@code [a, b]}. */
    static String list(java.util.List<String> values) {
        return values.stream().limit(10).map(v -> v == null ? "null" : clean(v)).toList().toString();
    }
}
