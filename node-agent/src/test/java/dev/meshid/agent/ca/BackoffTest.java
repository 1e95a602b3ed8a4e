package dev.meshid.agent.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackoffTest {
    /** A generator that always answers the same sample. */
    private static RandomGenerator fixed(double sample) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return sample;
            }
        };
    }

    @Test
    void delay_withoutJitterEffect_doublesUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2, 0.2);
        RandomGenerator middle = fixed(0.5); // factor exactly 1
        assertThat(b.delay(1, middle)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2, middle)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(5, middle)).isEqualTo(Duration.ofSeconds(16));
        assertThat(b.delay(6, middle)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(1000, middle)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void delay_jitter_spreadsWithinTheBandAndNeverPassesTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2, 0.2);
        assertThat(b.delay(3, fixed(0.0))).isEqualTo(Duration.ofMillis(3200));
        assertThat(b.delay(3, fixed(0.999999))).isBetween(Duration.ofMillis(4799), Duration.ofMillis(4800));
        assertThat(b.delay(20, fixed(0.999999))).isEqualTo(Duration.ofSeconds(30));
        SplittableRandom r = new SplittableRandom(42);
        for (int attempt = 1; attempt < 50; attempt++) {
            assertThat(b.delay(attempt, r)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"CANCELLED", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED",
        "ABORTED", "INTERNAL", "UNAVAILABLE"})
    void retryPolicy_retryableCode_startsWithTheInitialDelay(Status.Code code) {
        CaCallException e = new CaCallException(code, "x");
        assertThat(e.retryable()).isTrue();
        assertThat(RetryPolicy.DEFAULT.delay(1, e, fixed(0.5))).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"UNAUTHENTICATED", "INVALID_ARGUMENT", "PERMISSION_DENIED",
        "UNIMPLEMENTED"})
    void retryPolicy_nonRetryableCode_waitsTheCap(Status.Code code) {
        CaCallException e = new CaCallException(code, "x");
        assertThat(e.retryable()).isFalse();
        assertThat(RetryPolicy.DEFAULT.delay(1, e, fixed(0.5))).isEqualTo(Duration.ofSeconds(30));
    }
}
