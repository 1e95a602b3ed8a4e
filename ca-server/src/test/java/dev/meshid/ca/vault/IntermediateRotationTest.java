package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rotation schedule's pure time decisions. */
class IntermediateRotationTest {
    private final FakeClock clock = FakeClock.at("2025-01-01T00:00:00Z");
    private final IntermediateRotation r = new IntermediateRotation(clock.instant(),
            clock.instant().plus(Duration.ofHours(60)));

    @Test
    void phase_followsHalfAndSixthOfTheLifetime() {
        assertThat(r.phase(clock.instant())).isEqualTo(IntermediateRotation.Phase.ACTIVE);
        clock.advance(Duration.ofHours(30).minusSeconds(1));
        assertThat(r.phase(clock.instant())).isEqualTo(IntermediateRotation.Phase.ACTIVE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.phase(clock.instant())).isEqualTo(IntermediateRotation.Phase.PREPARE);
        clock.advance(Duration.ofHours(20).minusSeconds(1));
        assertThat(r.phase(clock.instant())).isEqualTo(IntermediateRotation.Phase.PREPARE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.phase(clock.instant())).isEqualTo(IntermediateRotation.Phase.SWITCH);
    }

    @Test
    void untilNextPhase_countsDownToPrepareThenSwitch() {
        assertThat(r.untilNextPhase(clock.instant())).isEqualTo(Duration.ofHours(30));
        assertThat(r.untilNextPhase(clock.instant().plus(Duration.ofHours(40)))).isEqualTo(Duration.ofHours(10));
        assertThat(r.untilNextPhase(clock.instant().plus(Duration.ofHours(55)))).isZero();
    }

    @Test
    void construction_refusesAnEmptyValidity() {
        Instant t = clock.instant();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IntermediateRotation(t, t))
                .hasMessageContaining("is not after NotBefore");
    }

    @Test
    void backoff_doublesUpToItsCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(60)).isEqualTo(Duration.ofSeconds(10));
    }
}
