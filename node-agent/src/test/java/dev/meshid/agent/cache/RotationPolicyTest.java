package dev.meshid.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RotationPolicyTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @ParameterizedTest(name = "ttl={0}s backdate={1}s ratio={2} jitter={3} sample={4} -> rotate {5}s after receipt")
    @CsvSource({
        // ttl, backdate, ratio, jitter, sample, expected seconds after receipt
        "86400, 120, 0.5, 0.0, 0.0, 43200",
        "86400, 120, 0.5, 0.01, 0.5, 43200",
        "86400, 120, 0.5, 0.01, 0.0, 44064",  // sample 0: ratio 0.49 remains -> later
        "60, 120, 0.5, 0.0, 0.0, 30",          // short TTL: half of the 60 s after receipt, not of 180 s
        "60, 120, 0.5, 0.01, 0.999, 29.4012",
        "60, 0, 0.2, 0.0, 0.0, 48",
        "3600, 7200, 0.5, 0.0, 0.0, 1800",     // backdate longer than the TTL
    })
    void rotateAt_tableOfLifetimes_isTheFractionOfTheLifetimeAfterReceipt(long ttl, long backdate, double ratio,
            double jitter, double sample, double expectedSeconds) {
        Instant received = T0;
        Instant notBefore = received.minusSeconds(backdate);
        Instant notAfter = received.plusSeconds(ttl);
        Instant at = new RotationPolicy(ratio, jitter).rotateAt(received, notBefore, notAfter, sample);
        assertThat(Duration.between(received, at).toMillis()).isEqualTo(Math.round(expectedSeconds * 1000));
    }

    @Test
    void rotateAt_shortTtlWithBackdatedNotBefore_isNotDueAtReceipt() {
        RotationPolicy policy = new RotationPolicy(0.5, 0.01);
        Instant received = T0;
        Instant notBefore = received.minus(Duration.ofMinutes(2));
        Instant notAfter = received.plusSeconds(60);
        for (double sample : new double[] {0.0, 0.25, 0.5, 0.999}) {
            assertThat(policy.shouldRotate(received, received, notBefore, notAfter, sample)).isFalse();
            assertThat(policy.shouldRotate(received.plusSeconds(31), received, notBefore, notAfter, sample)).isTrue();
        }
        // What the trap would do: measured from NotBefore, half of 180 s is already past at receipt.
        Instant naive = notAfter.minus(Duration.between(notBefore, notAfter).dividedBy(2));
        assertThat(naive).isBefore(received);
    }

    @Test
    void rotateAt_notBeforeAfterReceipt_measuresFromNotBefore() {
        Instant received = T0;
        Instant notBefore = received.plusSeconds(100);
        Instant notAfter = notBefore.plusSeconds(1000);
        assertThat(new RotationPolicy(0.5, 0).rotateAt(received, notBefore, notAfter, 0.3))
                .isEqualTo(notBefore.plusSeconds(500));
    }

    @Test
    void rotateAt_alreadyExpiredAtReceipt_isDueAtOnce() {
        Instant received = T0;
        Instant at = new RotationPolicy(0.5, 0).rotateAt(received, received.minusSeconds(100),
                received.minusSeconds(1), 0.5);
        assertThat(at).isEqualTo(received);
    }

    @Test
    void rotateAt_jitterSamples_stayWithinTheJitterBand() {
        RotationPolicy policy = new RotationPolicy(0.5, 0.1);
        Instant notAfter = T0.plusSeconds(1000);
        for (int i = 0; i < 100; i++) {
            double sample = i / 100.0;
            Instant at = policy.rotateAt(T0, T0, notAfter, sample);
            assertThat(at).isBetween(T0.plusSeconds(400), T0.plusSeconds(600));
        }
        assertThat(policy.rotateAt(T0, T0, notAfter, 0.0)).isNotEqualTo(policy.rotateAt(T0, T0, notAfter, 0.9));
    }

    @Test
    void constructor_jitterAsLargeAsTheRatio_isRefused() {
        assertThatThrownBy(() -> new RotationPolicy(0.1, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitterRatio");
        assertThatThrownBy(() -> new RotationPolicy(1.0, 0)).hasMessageContaining("graceRatio");
    }

    @Test
    void rotateAt_sampleOutsideUnitInterval_isRefused() {
        assertThatThrownBy(() -> new RotationPolicy(0.5, 0).rotateAt(T0, T0, T0.plusSeconds(10), 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
