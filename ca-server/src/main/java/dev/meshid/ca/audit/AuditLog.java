package dev.meshid.ca.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per issuance attempt to the dedicated logger {@value #LOGGER}, so that operators can
 * route it to its own file or pipeline with the logging configuration. Keys: {@code time, peer, caller,
 * authenticator, spiffeId, serial, notAfter, keyType, result, error}.
 */
public final class AuditLog {
    /** The logger name; configure its appender to keep audit lines apart. */
    public static final String LOGGER = "meshid.audit";

    private final Logger log;
    private final ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public AuditLog() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    AuditLog(Logger log) {
        this.log = log;
    }

    /** Logs the event as one JSON line. */
    public void record(AuditEvent event) {
        log.info(toJson(event));
    }

    /** The JSON line for an event. */
    public String toJson(AuditEvent e) {
        ObjectNode n = json.createObjectNode();
        n.put("time", e.time().toString());
        put(n, "peer", e.peer());
        put(n, "caller", e.caller());
        put(n, "authenticator", e.authenticator());
        put(n, "spiffeId", e.spiffeId());
        put(n, "serial", e.serial());
        put(n, "notAfter", e.notAfter() == null ? null : e.notAfter().toString());
        put(n, "keyType", e.keyType());
        n.put("result", e.result());
        put(n, "error", e.error());
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write an audit event as JSON", ex);
        }
    }

    private static void put(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }
}
