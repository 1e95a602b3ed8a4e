package dev.meshid.sds.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for reconnecting: the base delay grows from {@code initial} by
 * {@code multiplier} per failed attempt up to {@code max}, and each delay is spread uniformly by
 * {@code ±jitter} of the base, so many clients restarted together do not reconnect in step.
 *
 * @param initial delay before the first retry
 * @param max largest base delay
 * @param multiplier growth per attempt, at least 1
 * @param jitter fraction in [0, 1) of the base delay to spread by
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

  /** Envoy's defaults for xDS streams: 500 ms growing to 30 s; we add ±20 % jitter. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.2);

  /** Checks the ranges. */
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    if (multiplier < 1.0 || jitter < 0.0 || jitter >= 1.0) {
      throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter < 1");
    }
  }

  /**
   * The delay before retry number {@code attempt} (0 for the first retry), a pure function of its
   * arguments.
   */
  public Duration delay(int attempt, RandomGenerator random) {
    double base = Math.min(max.toNanos(), initial.toNanos() * Math.pow(multiplier, attempt));
    double spread = jitter == 0.0 ? 0.0 : random.nextDouble(-jitter, jitter);
    return Duration.ofNanos(Math.round(base * (1.0 + spread)));
  }
}
