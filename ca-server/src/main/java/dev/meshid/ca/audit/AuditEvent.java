package dev.meshid.ca.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One issuance attempt, as written to the audit log. Fields unknown at the point of failure are null and left
 * out of the JSON line. Never holds a token, a CSR or key material.
 *
 * @param time when the attempt ended
 * @param peer the client's address
 * @param caller the identity that authenticated (the node agent's, when impersonating)
 * @param authenticator the authenticator that accepted the caller, or that refused it
 * @param spiffeId the identity the certificate is (or would have been) for
 * @param serial the issued certificate's serial, hex
 * @param notAfter the issued certificate's NotAfter
 * @param keyType the certified key, e.g. {@code EC P-256}
 * @param result {@code OK} or the gRPC status code name
 * @param error the reason of a failure (the full, log-only reason for authentication failures)
 */
public record AuditEvent(Instant time, String peer, String caller, String authenticator, String spiffeId,
                         String serial, Instant notAfter, String keyType, String result, String error) {

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(result, "result");
    }
}
