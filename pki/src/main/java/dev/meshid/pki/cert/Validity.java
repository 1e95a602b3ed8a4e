package dev.meshid.pki.cert;

import java.time.Duration;

final class Validity {
    /** How far NotBefore is set back from now, to tolerate clock skew between machines. */
    static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(2);

    private Validity() {
    }

    static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    static Duration backdateOrDefault(Duration d, String what) {
        if (d == null) {
            return DEFAULT_BACKDATE;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " backdate must not be negative, got " + d);
        }
        return d;
    }
}
