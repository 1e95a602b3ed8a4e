package dev.meshid.ca.authn;

import java.time.Duration;
import java.util.List;

/** The defaults of the authentication settings, in one place. */
public final class AuthnDefaults {
    /** Istio's token audience: agents mint projected tokens for {@code istio-ca}. */
    public static final List<String> AUDIENCES = List.of("istio-ca");
    /** Tolerance on {@code exp}, {@code nbf} and {@code iat} for clocks that disagree a little. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Longest wait for the API server or a JWKS endpoint before answering UNAVAILABLE. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** How long a TokenReview verdict is reused (never past the token's own expiry). */
    public static final Duration TOKEN_REVIEW_CACHE_TTL = Duration.ofSeconds(60);
    /** Most TokenReview verdicts kept; the least recently used goes first. */
    public static final int TOKEN_REVIEW_CACHE_SIZE = 10_000;
    /** A JWKS is fetched again for an unknown {@code kid} at most this often. */
    public static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(30);
    /** A JWKS older than this is fetched again (stale keys are kept if that fails). */
    public static final Duration JWKS_MAX_AGE = Duration.ofHours(1);
    /** Istio's default cluster id. */
    public static final String CLUSTER_ID = "Kubernetes";

    private AuthnDefaults() {
    }
}
