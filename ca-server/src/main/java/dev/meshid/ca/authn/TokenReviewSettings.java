package dev.meshid.ca.authn;

import dev.meshid.pki.id.TrustDomain;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link TokenReviewAuthenticator}.
 *
 * @param audiences sent as {@code spec.audiences}; the review must confirm one of them (default {@code istio-ca})
 * @param trustDomain the trust domain of the SPIFFE IDs derived from service accounts
 * @param timeout longest wait for the API server before UNAVAILABLE (default 5 s)
 * @param cacheTtl how long an accepted token's verdict is reused, never past its {@code exp} (default 60 s;
 *     zero turns the cache off)
 * @param cacheSize most verdicts kept (default 10,000)
 */
public record TokenReviewSettings(List<String> audiences, TrustDomain trustDomain, Duration timeout,
                                  Duration cacheTtl, int cacheSize) {

    public TokenReviewSettings {
        Objects.requireNonNull(trustDomain, "trustDomain");
        audiences = audiences == null || audiences.isEmpty() ? AuthnDefaults.AUDIENCES : List.copyOf(audiences);
        timeout = timeout == null ? AuthnDefaults.CALL_TIMEOUT : timeout;
        cacheTtl = cacheTtl == null ? AuthnDefaults.TOKEN_REVIEW_CACHE_TTL : cacheTtl;
        cacheSize = cacheSize <= 0 ? AuthnDefaults.TOKEN_REVIEW_CACHE_SIZE : cacheSize;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("TokenReview timeout must be positive, got " + timeout);
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("TokenReview cache TTL must not be negative, got " + cacheTtl);
        }
    }

    /** Defaults for everything but the trust domain. */
    public static TokenReviewSettings of(TrustDomain trustDomain) {
        return new TokenReviewSettings(null, trustDomain, null, null, 0);
    }

    public TokenReviewSettings withAudiences(List<String> newAudiences) {
        return new TokenReviewSettings(newAudiences, trustDomain, timeout, cacheTtl, cacheSize);
    }

    public TokenReviewSettings withTimeout(Duration newTimeout) {
        return new TokenReviewSettings(audiences, trustDomain, newTimeout, cacheTtl, cacheSize);
    }

    public TokenReviewSettings withCache(Duration ttl, int size) {
        return new TokenReviewSettings(audiences, trustDomain, timeout, ttl, size);
    }
}
