package dev.meshid.ca.keysource;

import dev.meshid.ca.rotation.AutoRotationPolicy;
import dev.meshid.ca.signing.IssuedLedger;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link SelfSignedKeySource} needs to rotate its root by itself: when ({@code policy}), the agents'
 * acks of the bundle ({@code acks}), and which leaves may still depend on an old root ({@code ledger}, with
 * {@code maxTtl} for leaves issued before the ledger started).
 */
public record AutoRotation(AutoRotationPolicy policy, BundleAcks acks, IssuedLedger ledger, Duration maxTtl) {

    public AutoRotation {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(acks, "acks");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(maxTtl, "maxTtl");
    }
}
