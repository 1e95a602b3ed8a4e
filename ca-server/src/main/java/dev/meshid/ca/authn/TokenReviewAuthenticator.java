package dev.meshid.ca.authn;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Kubernetes API server whether a bearer token is valid ({@code authentication.k8s.io/v1} TokenReview
 * with {@code spec.audiences}). Accepts only an authenticated service account
 * ({@code system:serviceaccount:<ns>:<sa>} in group {@code system:serviceaccounts}) whose review confirms one
 * of the configured audiences. Accepted verdicts are cached by token hash (see {@link TokenReviewCache}); a slow
 * or failing API server gives UNAVAILABLE within the configured timeout. Without a bearer token it is not
 * applicable.
 */
public final class TokenReviewAuthenticator implements CredentialAuthenticator {
    public static final String NAME = "tokenreview";
    static final String POD_NAME = "authentication.kubernetes.io/pod-name";
    static final String POD_UID = "authentication.kubernetes.io/pod-uid";
    private static final Logger LOG = LoggerFactory.getLogger(TokenReviewAuthenticator.class);

    private final KubernetesClient client;
    private final TokenReviewSettings settings;
    private final BoundedCalls calls;
    private final Clock clock;
    private final TokenReviewCache cache;

    public TokenReviewAuthenticator(KubernetesClient client, TokenReviewSettings settings, BoundedCalls calls,
                                    Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = new TokenReviewCache(settings.cacheSize());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Caller> authenticate(AuthRequest request) throws AuthenticationException {
        if (request.bearerToken().isEmpty()) {
            return Optional.empty();
        }
        String token = request.bearerToken().get();
        String key = TokenReviewCache.key(token);
        Optional<Caller> cached = cache.get(key, clock.instant());
        if (cached.isPresent()) {
            return cached;
        }
        UnverifiedToken unverified = UnverifiedToken.of(token);
        TokenReview review = calls.call(NAME, "TokenReview", settings.timeout(), () -> create(token));
        Caller caller = interpret(review, unverified);
        remember(key, caller, unverified);
        return Optional.of(caller);
    }

    /** Verdicts kept in the cache now (for tests and metrics). */
    int cachedVerdicts() {
        return cache.size();
    }

    private TokenReview create(String token) throws AuthenticationException {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(settings.audiences()).endSpec().build();
        try {
            return client.authentication().v1().tokenReviews().create(review);
        } catch (KubernetesClientException e) {
            throw AuthenticationException.unavailable(NAME, KubernetesErrors.explain("create TokenReview", e), e);
        }
    }

    private Caller interpret(TokenReview review, UnverifiedToken unverified) throws AuthenticationException {
        TokenReviewStatus status = review == null ? null : review.getStatus();
        if (status == null) {
            throw AuthenticationException.unavailable(NAME, "the API server answered a TokenReview without status",
                    null);
        }
        if (!Boolean.TRUE.equals(status.getAuthenticated())) {
            throw notAuthenticated(status, unverified);
        }
        List<String> confirmed = status.getAudiences() == null ? List.of() : status.getAudiences();
        if (confirmed.stream().noneMatch(settings.audiences()::contains)) {
            // An empty list means the token is valid for the API server itself, not for this CA.
            throw misconfigured("TokenReview authenticated the token but confirmed audiences "
                    + LogText.list(confirmed) + ", none of " + settings.audiences() + "; "
                    + ServiceAccountClaims.audienceMismatch(unverified.audiences(), settings.audiences()));
        }
        UserInfo user = status.getUser();
        String username = user == null ? null : user.getUsername();
        List<String> groups = user == null || user.getGroups() == null ? List.of() : user.getGroups();
        if (!groups.contains(ServiceAccountUser.GROUP)) {
            throw fail("TokenReview user " + LogText.quote(username) + " is not in group " + ServiceAccountUser.GROUP
                    + " (groups " + LogText.list(groups) + "); only service-account tokens are accepted");
        }
        ServiceAccountUser account = ServiceAccountUser.parse(username).orElseThrow(() -> fail("TokenReview user "
                + LogText.quote(username) + " is not a service account (system:serviceaccount:<namespace>:<name>)"));
        Map<String, List<String>> extra = user.getExtra() == null ? Map.of() : user.getExtra();
        KubernetesIdentity who = account.identity(first(extra.get(POD_NAME)), first(extra.get(POD_UID)));
        try {
            return new Caller(account.spiffeId(settings.trustDomain()), NAME, Optional.of(who));
        } catch (IllegalArgumentException e) {
            throw fail("service account " + account + " does not make a valid SPIFFE ID: " + e.getMessage());
        }
    }

    private AuthenticationException notAuthenticated(TokenReviewStatus status, UnverifiedToken unverified) {
        String error = status.getError() == null || status.getError().isBlank() ? "no error given"
                : LogText.clean(status.getError());
        boolean audienceProblem = error.toLowerCase(java.util.Locale.ROOT).contains("audience")
                || !unverified.audiences().isEmpty()
                && unverified.audiences().stream().noneMatch(settings.audiences()::contains);
        if (audienceProblem) {
            return misconfigured("TokenReview did not authenticate the token (" + error + "); "
                    + ServiceAccountClaims.audienceMismatch(unverified.audiences(), settings.audiences()));
        }
        return fail("TokenReview did not authenticate the token (" + error + ")");
    }

    private static AuthenticationException misconfigured(String reason) {
        // Usually a deployment mistake rather than an attack: make it stand out in the log.
        LOG.warn("audience mismatch: {}", reason);
        return fail(reason);
    }

    private void remember(String key, Caller caller, UnverifiedToken unverified) {
        if (settings.cacheTtl().isZero()) {
            return;
        }
        Instant until = clock.instant().plus(settings.cacheTtl());
        if (unverified.expiry().isPresent() && unverified.expiry().get().isBefore(until)) {
            until = unverified.expiry().get();
        }
        cache.put(key, caller, until);
    }

    private static Optional<String> first(List<String> values) {
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    private static AuthenticationException fail(String reason) {
        return AuthenticationException.unauthenticated(NAME, reason);
    }
}
