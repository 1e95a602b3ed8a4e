package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.RecordingListener;
import dev.meshid.ca.rotation.RotationModel;
import dev.meshid.ca.rotation.RotationStep;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Vault PKI mode when Vault's root changes: the new root is published beside the old one, signing moves to an
 * intermediate under the new root at the usual switch point, and the old root stays in the bundle until the
 * last intermediate under it has expired (no leaf outlives its intermediate, so then no valid leaf depends on
 * the old root). Fake clock and scheduler.
 */
class VaultPkiRootChangeTest {
    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private KeySource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        vault.close();
    }

    private static RotationStep step(KeyCertBundle b, Instant now) {
        return RotationModel.evaluate(b, Map.of(), now, Duration.ofHours(24), now).step();
    }

    @Test
    void upstreamRootChange_oldRootKeptUntilTheLastIntermediateUnderItExpires() throws Exception {
        vault = VaultTestDouble.http(clock);
        TestPki.Issued rootA = vault.mountPki("pki", "root-a");
        String token = vault.addToken(Duration.ZERO, false, "pki/root/sign-intermediate");
        source = VaultKeySources.from(VaultPkiKeySourceTest.options(vault).build(), Map.of("VAULT_TOKEN", token),
                clock, scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        assertThat(l.last().roots().roots()).containsExactly(rootA.cert());
        X509Certificate underA = l.last().signer().certificate();

        clock.advance(Duration.ofHours(1));
        TestPki.Issued rootB = TestPki.root("vault pki root-b").at(clock).validFor(Duration.ofDays(3650)).build();
        vault.pkiMounts.put("pki", new VaultTestDouble.PkiMount(new ConcurrentHashMap<>(Map.of("root-b", rootB)),
                "root-b"));
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);
        assertThat(l.last().roots().roots()).containsExactlyInAnyOrder(rootA.cert(), rootB.cert());
        assertThat(step(l.last(), clock.instant())).isEqualTo(RotationStep.NEW_ROOT_ADDED);

        clock.setInstant(IntermediateRotation.of(underA).switchAt().plusSeconds(1));
        scheduler.runDue();
        assertThat(l.last().root()).isEqualTo(rootB.cert());
        assertThat(l.last().roots().roots()).containsExactlyInAnyOrder(rootA.cert(), rootB.cert());
        assertThat(step(l.last(), clock.instant())).isEqualTo(RotationStep.SIGNER_SWITCHED);

        clock.setInstant(underA.getNotAfter().toInstant().minus(VaultOptions.DEFAULT_REFRESH).minusSeconds(1));
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);
        assertThat(l.last().roots().roots()).as("a leaf of the old intermediate may still be valid")
                .contains(rootA.cert());

        clock.setInstant(underA.getNotAfter().toInstant().plusSeconds(1));
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);
        assertThat(l.last().roots().roots()).containsExactly(rootB.cert());
        assertThat(step(l.last(), clock.instant())).isEqualTo(RotationStep.NONE);
        assertThat(l.rejections).isEmpty();
    }
}
