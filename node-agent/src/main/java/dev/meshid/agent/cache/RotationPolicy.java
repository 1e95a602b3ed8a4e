package dev.meshid.agent.cache;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew a certificate: when {@code graceRatio} of its lifetime remains, with jitter. Pure functions of
 * their arguments.
 *
 * <p>The lifetime starts at the later of the receipt time and NotBefore, never at NotBefore alone: the CA
 * backdates NotBefore (2 minutes) for clock skew, so for a short TTL a lifetime counted from NotBefore would
 * put the renewal point in the past at once and the agent would renew in a loop (PROTOCOLS.md §1).
 *
 * @param graceRatio the fraction of the lifetime that remains at renewal, in (0, 1)
 * @param jitterRatio the largest random change of that fraction, in [0, min(ratio, 1 - ratio))
 */
public record RotationPolicy(double graceRatio, double jitterRatio) {

    public RotationPolicy {
        if (!(graceRatio > 0 && graceRatio < 1)) {
            throw new IllegalArgumentException("graceRatio must be in (0, 1), got " + graceRatio);
        }
        if (!(jitterRatio >= 0 && jitterRatio < Math.min(graceRatio, 1 - graceRatio))) {
            throw new IllegalArgumentException("jitterRatio must be in [0, min(ratio, 1 - ratio)), got " + jitterRatio);
        }
    }

    /**
     * The instant to renew at.
     *
     * @param receivedAt when the certificate arrived
     * @param notBefore the certificate's NotBefore (often backdated)
     * @param notAfter the certificate's NotAfter
     * @param jitterSample a sample of a uniform [0, 1) variable, drawn once per certificate
     */
    public Instant rotateAt(Instant receivedAt, Instant notBefore, Instant notAfter, double jitterSample) {
        if (!(jitterSample >= 0 && jitterSample < 1)) {
            throw new IllegalArgumentException("jitterSample must be in [0, 1), got " + jitterSample);
        }
        Instant start = receivedAt.isAfter(notBefore) ? receivedAt : notBefore;
        if (!notAfter.isAfter(start)) {
            return start; // already expired when received (or a zero lifetime): renew at once
        }
        long lifetime = Duration.between(start, notAfter).toNanos();
        double ratio = graceRatio + jitterRatio * (2 * jitterSample - 1);
        long grace = (long) (lifetime * ratio);
        return notAfter.minusNanos(grace);
    }

    /** Whether the certificate should be renewed at {@code now}. */
    public boolean shouldRotate(Instant now, Instant receivedAt, Instant notBefore, Instant notAfter,
            double jitterSample) {
        return !now.isBefore(rotateAt(receivedAt, notBefore, notAfter, jitterSample));
    }
}
