package dev.meshid.ca.vault;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry delays after consecutive failures: {@code min}, doubled each time, capped at {@code max}. A pure
 * function of the failure count, so tests need no clock.
 *
 * @param min the delay after the first failure
 * @param max the longest delay
 */
record Backoff(Duration min, Duration max) {
    Backoff {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " and " + max);
        }
    }

    /** The delay after {@code failures} consecutive failures (1 for the first). */
    Duration delay(int failures) {
        Duration d = min;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
