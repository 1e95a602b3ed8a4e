package dev.meshid.agent.cache;

import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.ca.IssuedCertificate;
import java.time.Duration;

/** What the {@link Rotator} reports, for metrics and logs. Methods default to doing nothing. */
public interface RotationObserver {

    /** A certificate was obtained after {@code took}; {@code nextAttempt} is when renewal is planned. */
    default void onIssued(IssuedCertificate certificate, Duration took) {
    }

    /** Attempt number {@code failures} in a row failed; the next one runs after {@code retryIn}. */
    default void onFailure(CaCallException error, int failures, Duration retryIn) {
    }

    RotationObserver NONE = new RotationObserver() {
    };
}
