package dev.meshid.ca.keysource;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** When a self-signed root is re-issued: once {@code fraction} of its lifetime (NotBefore to NotAfter) remains. */
public record RootReissuePolicy(double fraction) {

    public RootReissuePolicy {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("re-issue fraction must be between 0 and 1 (exclusive), got " + fraction);
        }
    }

    /** Whether {@code root} should be re-issued at {@code now}; also true once it has expired. */
    public boolean shouldReissue(Instant now, X509Certificate root) {
        Instant notBefore = root.getNotBefore().toInstant();
        Instant notAfter = root.getNotAfter().toInstant();
        Duration life = Duration.between(notBefore, notAfter);
        Duration remaining = Duration.between(now, notAfter);
        // Compare in seconds: X.509 times have second precision, and double millis of 10 years fit exactly.
        return remaining.toSeconds() <= (long) Math.floor(life.toSeconds() * fraction);
    }
}
