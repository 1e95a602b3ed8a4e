package dev.meshid.ca.vault;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a Vault-signed intermediate is replaced, as pure functions of its validity: the next one is prepared
 * (signed by Vault, its root published in the trust bundle) when half the lifetime is left, and signing moves
 * to it when a sixth is left. Publishing before switching gives agents time to learn a new root first.
 *
 * @param notBefore the current intermediate's NotBefore
 * @param notAfter its NotAfter
 */
record IntermediateRotation(Instant notBefore, Instant notAfter) {

    /** Where in its life the current intermediate is. */
    enum Phase {
        /** More than half the lifetime left: nothing to do. */
        ACTIVE,
        /** Half or less left: have the next intermediate ready and its roots published. */
        PREPARE,
        /** A sixth or less left: sign with the next intermediate. */
        SWITCH
    }

    IntermediateRotation {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("NotAfter " + notAfter + " is not after NotBefore " + notBefore);
        }
    }

    static IntermediateRotation of(X509Certificate cert) {
        return new IntermediateRotation(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }

    Duration lifetime() {
        return Duration.between(notBefore, notAfter);
    }

    Instant prepareAt() {
        return notAfter.minus(lifetime().dividedBy(2));
    }

    Instant switchAt() {
        return notAfter.minus(lifetime().dividedBy(6));
    }

    Phase phase(Instant now) {
        if (!now.isBefore(switchAt())) {
            return Phase.SWITCH;
        }
        return now.isBefore(prepareAt()) ? Phase.ACTIVE : Phase.PREPARE;
    }

    /** Time from {@code now} until the next phase begins, or zero when already switching. */
    Duration untilNextPhase(Instant now) {
        return switch (phase(now)) {
            case ACTIVE -> Duration.between(now, prepareAt());
            case PREPARE -> Duration.between(now, switchAt());
            case SWITCH -> Duration.ZERO;
        };
    }
}
