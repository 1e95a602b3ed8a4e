package dev.meshid.ca.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RotationModelTest {
    static final Duration MAX_TTL = Duration.ofDays(1);
    final TwoGenerations g = new TwoGenerations();

    @Test
    void evaluate_oneRootTheSignerChainsTo_isNoneAndTheRootIsNeededForAMaxTtlAfterNow() {
        Instant now = g.clock.instant();
        RotationState s = RotationModel.evaluate(g.oldOnly(), Map.of(), now.minus(Duration.ofHours(3)), MAX_TTL, now);

        assertThat(s.step()).isEqualTo(RotationStep.NONE);
        assertThat(s.safeToRemoveAt()).isEmpty();
        assertThat(s.roots()).singleElement().satisfies(r -> {
            assertThat(r.signing()).isTrue();
            assertThat(r.noLeafDependsAfter()).isEqualTo(now.plus(MAX_TTL));
            assertThat(r.notAfter()).isEqualTo(g.oldRoot.cert().getNotAfter().toInstant());
        });
        assertThat(s.signer().rootFingerprint()).isEqualTo(g.oldFp());
        assertThat(s.signer().chainFingerprints()).hasSize(2).endsWith(g.oldFp());
    }

    @Test
    void evaluate_newerRootTheSignerDoesNotChainTo_isNewRootAdded() {
        Instant now = g.clock.instant();
        RotationState s = RotationModel.evaluate(g.oldSignerBothRoots(), Map.of(), now, MAX_TTL, now);

        assertThat(s.step()).isEqualTo(RotationStep.NEW_ROOT_ADDED);
        assertThat(s.safeToRemoveAt()).isEmpty();
        assertThat(s.otherRoots()).singleElement().extracting(RootStatus::fingerprint).isEqualTo(g.newFp());
    }

    @Test
    void evaluate_signerOnTheNewestRoot_isSignerSwitchedSafeAfterTheLatestLeafUnderTheOldRoot() {
        Instant since = g.clock.instant();
        Instant latestOld = since.plus(Duration.ofDays(3));
        Instant now = since.plus(Duration.ofDays(2));

        RotationState s = RotationModel.evaluate(g.newSignerBothRoots(), Map.of(g.oldFp(), latestOld), since,
                MAX_TTL, now);

        assertThat(s.step()).isEqualTo(RotationStep.SIGNER_SWITCHED);
        assertThat(s.safeToRemoveAt()).contains(latestOld);
        assertThat(s.root(g.oldFp()).orElseThrow().noLeafDependsAfter()).isEqualTo(latestOld);
        assertThat(s.root(g.newFp()).orElseThrow().noLeafDependsAfter()).isEqualTo(now.plus(MAX_TTL));
    }

    @Test
    void evaluate_afterARestartWithNothingRecorded_assumesLeavesUpToMaxTtlAfterTheStart() {
        Instant since = g.clock.instant();
        Instant now = since.plus(Duration.ofMinutes(5));

        RotationState s = RotationModel.evaluate(g.newSignerBothRoots(), Map.of(), since, MAX_TTL, now);

        assertThat(s.safeToRemoveAt()).contains(since.plus(MAX_TTL));
    }

    @Test
    void noLeafDependsAfter_neverLaterThanTheRootsOwnExpiry() {
        Instant rootEnd = Instant.parse("2026-02-01T00:00:00Z");
        Instant now = rootEnd.minus(Duration.ofHours(1));

        assertThat(RotationModel.noLeafDependsAfter(rootEnd, java.util.Optional.of(rootEnd.plusSeconds(60)), now,
                MAX_TTL, true, now)).isEqualTo(rootEnd);
    }

    @Test
    void rotationJson_roundTrip_keepsEveryField() {
        Instant now = g.clock.instant();
        RotationState s = RotationModel.evaluate(g.newSignerBothRoots(), Map.of(g.oldFp(), now.plusSeconds(5)), now,
                MAX_TTL, now);
        RotationReport report = new RotationReport(s, java.util.Optional.of("abc"), 2, 1, java.util.List.of(
                new dev.meshid.ca.bundle.AgentView(7, "spiffe://td/ns/a/sa/b", "127.0.0.1:1", java.util.Optional.of("abc"),
                        java.util.Set.of(g.oldFp(), g.newFp()), true, java.util.Optional.empty())));

        assertThat(RotationJson.read(RotationJson.write(report))).isEqualTo(report);
    }
}
