package dev.meshid.ca.vault;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.KeySourceContractTest;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.pki.testing.FakeClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The key-source contract for the PKI upstream mode. Its material changes when time reaches an
 * intermediate's switch point (a sixth of its life left), so "change" here moves the fake clock there; an
 * invalid change makes the double's PKI engine return a non-CA certificate at that point.
 */
class VaultPkiKeySourceTest extends KeySourceContractTest {
    static final Duration INTERMEDIATE_TTL = Duration.ofHours(48);

    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private String token;
    private Instant signerNotAfter;

    @BeforeEach
    void startVault() throws Exception {
        vault = VaultTestDouble.http(clock);
        vault.mountPki("pki", "root-2025");
        token = vault.addToken(Duration.ZERO, false, "pki/root/sign-intermediate");
    }

    @AfterEach
    void stopVault() {
        vault.close();
    }

    static VaultOptions.Builder options(VaultTestDouble vault) {
        return VaultOptions.builder().address(URI.create(vault.address())).pkiMount("pki")
                .intermediateTtl(INTERMEDIATE_TTL).maxWorkloadTtl(Duration.ofHours(24));
    }

    @Override
    protected KeySource newSource() {
        return VaultKeySources.from(options(vault).build(), Map.of("VAULT_TOKEN", token), clock, scheduler);
    }

    /** Moves the clock past the switch point of the intermediate in use (the last valid one the double signed). */
    private void reachSwitchPoint() {
        if (vault.lastSignedMode == VaultDoublePki.Mode.NORMAL) {
            signerNotAfter = vault.lastSigned.getNotAfter().toInstant();
        }
        Instant switchAt = IntermediateRotation.of(vault.lastSigned).switchAt();
        if (signerNotAfter != null) {
            switchAt = signerNotAfter.minus(INTERMEDIATE_TTL.dividedBy(6));
        }
        if (clock.instant().isBefore(switchAt)) {
            clock.setInstant(switchAt.plusSeconds(1));
        }
    }

    @Override
    protected void changeToValid() {
        reachSwitchPoint();
        vault.signMode = VaultDoublePki.Mode.NORMAL;
    }

    @Override
    protected void touchUnchanged() {
        // Nothing in Vault changes; the refresh re-reads pki/ca_chain and must deliver nothing new.
    }

    @Override
    protected void changeToInvalid() {
        reachSwitchPoint();
        vault.signMode = VaultDoublePki.Mode.NOT_A_CA;
    }

    @Override
    protected String expectedRejection() {
        return "is not a CA certificate (basicConstraints cA=false)";
    }

    @Override
    protected void refresh() {
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected String expectedNameFragment() {
        return "vault-pki:" + vault.address() + "/pki/root/sign-intermediate";
    }

}
