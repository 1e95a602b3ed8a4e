package dev.meshid.ca.keysource;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link CacertsDirKeySource}.
 *
 * @param pollInterval how often the files' content is compared with what was loaded; 5 s by default
 */
public record CacertsDirOptions(Duration pollInterval) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    public CacertsDirOptions {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("cacerts poll interval must be positive, got " + pollInterval);
        }
    }

    public static CacertsDirOptions defaults() {
        return new CacertsDirOptions(DEFAULT_POLL_INTERVAL);
    }
}
