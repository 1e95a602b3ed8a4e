package dev.meshid.ca.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditLogTest {
    @Test
    void toJson_issuedCertificate_isOneLineWithEveryField() throws Exception {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        String line = new AuditLog().toJson(new AuditEvent(t, "10.0.0.7:5000", "spiffe://td/ns/a/sa/b", "jwt",
                "spiffe://td/ns/a/sa/b", "ab12", t.plusSeconds(86400), "EC P-256", "OK", null));

        assertThat(line).doesNotContain("\n");
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.get("time").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(n.get("peer").asText()).isEqualTo("10.0.0.7:5000");
        assertThat(n.get("authenticator").asText()).isEqualTo("jwt");
        assertThat(n.get("serial").asText()).isEqualTo("ab12");
        assertThat(n.get("notAfter").asText()).isEqualTo("2025-01-02T00:00:00Z");
        assertThat(n.get("keyType").asText()).isEqualTo("EC P-256");
        assertThat(n.get("result").asText()).isEqualTo("OK");
        assertThat(n.has("error")).isFalse();
    }

    @Test
    void toJson_failure_carriesCodeAndReasonAndOmitsUnknownFields() throws Exception {
        String line = new AuditLog().toJson(new AuditEvent(Instant.EPOCH, "p", null, "jwt", null, null, null, null,
                "UNAUTHENTICATED", "token \"expired\"\nat 12:00"));

        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.get("result").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(n.get("error").asText()).isEqualTo("token \"expired\"\nat 12:00");
        assertThat(n.has("serial")).isFalse();
        assertThat(line).doesNotContain("\n");
    }
}
