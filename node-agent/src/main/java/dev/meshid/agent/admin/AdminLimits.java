package dev.meshid.agent.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what one client can take from the admin HTTP server.
 *
 * @param headTimeout how long a request may take to send its request line and headers; a client still sending
 *     then (a slowloris trickling bytes) is disconnected
 * @param maxHeadBytes the largest request line plus headers accepted; a larger head is answered 431 and the
 *     connection closed
 * @param workers threads serving requests, so that one slow client does not hold up a readiness probe
 */
public record AdminLimits(Duration headTimeout, int maxHeadBytes, int workers) {
    /** 10 s for the head, 16 KiB of head, 4 workers: far above what probes, scrapers and curl need. */
    public static final AdminLimits DEFAULTS = new AdminLimits(Duration.ofSeconds(10), 16 * 1024, 4);

    public AdminLimits {
        Objects.requireNonNull(headTimeout, "headTimeout");
        if (headTimeout.isNegative() || headTimeout.isZero()) {
            throw new IllegalArgumentException("headTimeout must be positive, got " + headTimeout);
        }
        if (maxHeadBytes < 256) {
            throw new IllegalArgumentException("maxHeadBytes must be at least 256, got " + maxHeadBytes);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
    }
}
