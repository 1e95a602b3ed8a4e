package dev.meshid.ca.keysource;

import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.id.TrustDomain;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link SelfSignedKeySource}; {@link #defaults} follows Istio.
 *
 * @param trustDomain the root's subject is {@code O=<trust domain>}, as Istio's ({@code O=cluster.local})
 * @param keyAlgorithm key of a newly generated root; EC P-256 by default
 * @param validity lifetime of the root and of each re-issue; 10 years by default
 * @param reissueFraction re-issue (same key) once this fraction of the root's life remains; 0.2 by default
 * @param checkInterval how often the store is read and the root's age checked; 1 minute by default, so
 *     replicas pick up a root re-issued by another replica soon
 */
public record SelfSignedOptions(TrustDomain trustDomain, KeyAlgorithm keyAlgorithm, Duration validity,
        double reissueFraction, Duration checkInterval) {

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    public static final double DEFAULT_REISSUE_FRACTION = 0.2;
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);

    public SelfSignedOptions {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        requirePositive(validity, "self-signed root validity");
        requirePositive(checkInterval, "self-signed root check interval");
        if (!(reissueFraction > 0 && reissueFraction < 1)) {
            throw new IllegalArgumentException("self-signed root re-issue fraction must be between 0 and 1"
                    + " (exclusive), got " + reissueFraction + "; Istio uses 0.2");
        }
    }

    public static SelfSignedOptions defaults(TrustDomain trustDomain) {
        return new SelfSignedOptions(trustDomain, KeyAlgorithm.DEFAULT, DEFAULT_VALIDITY, DEFAULT_REISSUE_FRACTION,
                DEFAULT_CHECK_INTERVAL);
    }

    public SelfSignedOptions withKeyAlgorithm(KeyAlgorithm a) {
        return new SelfSignedOptions(trustDomain, a, validity, reissueFraction, checkInterval);
    }

    public SelfSignedOptions withValidity(Duration v) {
        return new SelfSignedOptions(trustDomain, keyAlgorithm, v, reissueFraction, checkInterval);
    }

    public SelfSignedOptions withCheckInterval(Duration i) {
        return new SelfSignedOptions(trustDomain, keyAlgorithm, validity, reissueFraction, i);
    }

    /** The subject of a generated root. */
    public String subjectDn() {
        return "O=" + trustDomain.name();
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
