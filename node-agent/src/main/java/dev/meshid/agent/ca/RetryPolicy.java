package dev.meshid.agent.ca;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait after a failed attempt to get a certificate. The agent never gives up (it recovers by
 * itself when the CA comes back): retryable codes follow the exponential {@link Backoff}; other failures
 * (UNAUTHENTICATED, INVALID_ARGUMENT, a missing token file...) need an operator's fix and are retried at the
 * cap only, so a misconfigured agent does not hammer the CA.
 */
public record RetryPolicy(Backoff backoff) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Backoff.DEFAULT);

    public RetryPolicy {
        Objects.requireNonNull(backoff, "backoff");
    }

    /** The delay after failure number {@code failures} (1-based) with {@code error}. */
    public Duration delay(int failures, CaCallException error, RandomGenerator random) {
        if (error.retryable()) {
            return backoff.delay(failures, random);
        }
        return backoff.delay(Integer.MAX_VALUE / 2, random);
    }
}
