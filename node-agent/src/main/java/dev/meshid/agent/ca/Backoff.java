package dev.meshid.agent.ca;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter and a cap: attempt {@code n} (1-based) waits
 * {@code min(max, initial * multiplier^(n-1))}, scaled by a random factor in {@code [1 - jitter, 1 + jitter)},
 * and never more than {@code max}. A pure function of its inputs; the random generator is injected.
 *
 * @param initial the first delay
 * @param max the cap
 * @param multiplier growth per attempt, at least 1
 * @param jitter the relative spread, in [0, 1)
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    /** 1 s, doubling, capped at 30 s, +/-20 %. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.2);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
        if (!(multiplier >= 1) || !(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("backoff needs multiplier >= 1 and jitter in [0, 1)");
        }
    }

    /** The delay before retry number {@code attempt} (1 = the first retry). */
    public Duration delay(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
        double base = initial.toNanos() * Math.pow(multiplier, Math.min(attempt - 1, 62));
        double capped = Math.min(base, max.toNanos());
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        long nanos = (long) Math.min(capped * factor, max.toNanos());
        return Duration.ofNanos(Math.max(nanos, 1));
    }
}
