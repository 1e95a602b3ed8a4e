package dev.meshid.agent.cache;

import dev.meshid.agent.ca.IssuedCertificate;
import java.time.Instant;
import java.util.Objects;

/**
 * The certificate the agent holds and when it plans to renew it: an immutable snapshot, swapped in one step.
 *
 * @param certificate the current certificate
 * @param rotateAt the renewal time decided when it arrived
 */
public record Held(IssuedCertificate certificate, Instant rotateAt) {
    public Held {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(rotateAt, "rotateAt");
    }
}
