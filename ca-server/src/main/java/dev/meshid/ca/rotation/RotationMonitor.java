package dev.meshid.ca.rotation;

import dev.meshid.ca.bundle.BundleVersion;
import dev.meshid.ca.bundle.BundleWatchers;
import dev.meshid.ca.signing.IssuedLedger;
import dev.meshid.ca.signing.Signer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The live CA's rotation report: its signer's material, its issued ledger and the agents' acks, now. */
public final class RotationMonitor {
    private final Signer signer;
    private final BundleWatchers watchers;
    private final Duration maxTtl;
    private final Clock clock;

    public RotationMonitor(Signer signer, BundleWatchers watchers, Duration maxTtl, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.watchers = Objects.requireNonNull(watchers, "watchers");
        this.maxTtl = Objects.requireNonNull(maxTtl, "maxTtl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The state now; empty before the first signing material. */
    public Optional<RotationState> state() {
        IssuedLedger ledger = signer.issuedLedger();
        return signer.active().map(a -> RotationModel.evaluate(a.bundle(), ledger.snapshot(), ledger.since(), maxTtl,
                clock.instant()));
    }

    /** The report now; empty before the first signing material. */
    public Optional<RotationReport> report() {
        return state().map(s -> new RotationReport(s, watchers.current().map(BundleVersion::version),
                watchers.connected(), watchers.ackedCurrent(), watchers.agents()));
    }
}
