package dev.meshid.agent.admin;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.Held;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code /debug/certs} JSON: what the agent holds, written by hand to keep the agent small. */
final class DebugCerts {
    private DebugCerts() {
    }

    static String json(Optional<Held> held, Instant now, Optional<String> outputError, AdminServer.BundleView bundle) {
        StringBuilder sb = new StringBuilder("{");
        if (held.isEmpty()) {
            sb.append("\"certificate\":null");
        } else {
            IssuedCertificate c = held.get().certificate();
            sb.append("\"certificate\":{")
                    .append(field("spiffeId", c.spiffeId().toString())).append(',')
                    .append(field("serial", c.serialHex())).append(',')
                    .append(field("notBefore", c.notBefore().toString())).append(',')
                    .append(field("notAfter", c.notAfter().toString())).append(',')
                    .append(field("receivedAt", c.receivedAt().toString())).append(',')
                    .append(field("nextRotation", held.get().rotateAt().toString())).append(',')
                    .append("\"expired\":").append(c.expiredAt(now)).append(',')
                    .append("\"chainLength\":").append(c.chain().size()).append(',')
                    .append("\"keyAlgorithm\":").append(quote(c.key().getAlgorithm())).append(',')
                    .append("\"rootFingerprintsSha256\":").append(array(c.rootFingerprints()))
                    .append('}');
        }
        sb.append(",\"bundle\":{").append(field("stream", bundle.state().name())).append(",\"version\":")
                .append(bundle.bundle().map(b -> quote(b.version())).orElse("null"))
                .append(",\"rootFingerprintsSha256\":")
                .append(bundle.bundle().map(b -> array(b.fingerprints())).orElse("[]")).append('}');
        sb.append(',').append("\"outputError\":").append(outputError.map(DebugCerts::quote).orElse("null"));
        return sb.append("}\n").toString();
    }

    private static String field(String name, String value) {
        return quote(name) + ":" + quote(value);
    }

    private static String array(List<String> values) {
        return values.stream().map(DebugCerts::quote).collect(Collectors.joining(",", "[", "]"));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
