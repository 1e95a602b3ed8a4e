package dev.meshid.ca.authn;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.id.InvalidSpiffeIdException;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a Kubernetes service-account token locally, without an API round trip: the signature against the
 * issuer's keys ({@link JwkSetSource}), then {@code iss}, {@code aud}, {@code exp}/{@code nbf}, {@code sub} and
 * the {@code kubernetes.io} claim. The identity is {@code spiffe://<td>/ns/<ns>/sa/<sa>}. Without a bearer
 * token it is not applicable. Accepted tokens are remembered ({@link VerifiedTokenCache}), so an agent's
 * repeated token costs a hash and a map lookup, not a signature check.
 */
public final class JwtAuthenticator implements CredentialAuthenticator {
    public static final String NAME = "jwt";

    private final JwtSettings settings;
    private final JwkSetSource keys;
    private final Clock clock;
    private final JWSVerifierFactory verifiers;
    private final VerifiedTokenCache cache;

    public JwtAuthenticator(JwtSettings settings, JwkSetSource keys, Clock clock) {
        this(settings, keys, clock, defaultVerifiers(), VerifiedTokenCache.DEFAULT_SIZE);
    }

    /** With the verifier factory given (tests count verifications through it) and a cache size. */
    JwtAuthenticator(JwtSettings settings, JwkSetSource keys, Clock clock, JWSVerifierFactory verifiers,
                     int cacheSize) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
        this.cache = new VerifiedTokenCache(cacheSize);
    }

    private static JWSVerifierFactory defaultVerifiers() {
        DefaultJWSVerifierFactory f = new DefaultJWSVerifierFactory();
        f.getJCAContext().setProvider(CryptoProvider.get());
        return f;
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
        JWKSet keySet = keysIfLoadable();
        String cacheKey = VerifiedTokenCache.key(token);
        if (keySet != null) {
            Optional<Caller> hit = cache.get(cacheKey, keySet, clock.instant(), settings.clockSkew());
            if (hit.isPresent()) {
                return hit;
            }
        }
        SignedJWT jwt = signed(token);
        JWKSet usedKeys = verifySignature(jwt, keySet);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw fail("token payload is not a JSON claims set: " + e.getMessage());
        }
        Instant now = clock.instant();
        KubernetesIdentity who = ServiceAccountClaims.check(claims, settings, now, NAME);
        try {
            ServiceAccountUser user = new ServiceAccountUser(who.namespace(), who.serviceAccount());
            Caller caller = new Caller(user.spiffeId(settings.trustDomain()), NAME, Optional.of(who));
            // check() refused a token without exp, so exp is there.
            Date nbf = claims.getNotBeforeTime();
            cache.put(cacheKey, caller, usedKeys, nbf == null ? null : nbf.toInstant(),
                    claims.getExpirationTime().toInstant(), now);
            return Optional.of(caller);
        } catch (InvalidSpiffeIdException e) {
            throw fail("service account " + who.namespace() + "/" + who.serviceAccount()
                    + " does not make a valid SPIFFE ID: " + e.getMessage());
        }
    }

    private static SignedJWT signed(String token) throws AuthenticationException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw fail("bearer token is not a JWT (" + LogText.clean(String.valueOf(e.getMessage())) + ")");
        }
        if (jwt instanceof PlainJWT) {
            throw fail("token is unsigned (alg \"none\"); unsigned tokens are never accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw fail("token is encrypted (JWE); only signed service-account tokens (JWS) are accepted");
        }
        return signed;
    }

    /** The current keys, or null when they cannot be loaded now (the full path then reports why). */
    private JWKSet keysIfLoadable() {
        try {
            return keys.keys();
        } catch (IOException e) {
            return null;
        }
    }

    /** Verifies against {@code known} (or the current keys), refreshed once on a miss; returns the set used. */
    private JWKSet verifySignature(SignedJWT jwt, JWKSet known) throws AuthenticationException {
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!settings.algorithms().contains(alg)) {
            throw fail("token algorithm " + LogText.quote(alg) + " is not accepted; accepted: "
                    + settings.algorithms().stream().map(JWSAlgorithm::getName).sorted().toList());
        }
        String kid = header.getKeyID();
        JWKSet set = known != null ? known : current(false);
        List<JWK> candidates = candidates(set, alg, kid);
        if (candidates.isEmpty()) {
            set = current(true);
            candidates = candidates(set, alg, kid);
        }
        if (candidates.isEmpty()) {
            throw fail("no " + alg + " key " + (kid == null ? "(token has no kid)" : "with kid " + LogText.quote(kid))
                    + " in " + keys.describe() + "; the token was signed by a key this CA does not know "
                    + "(another cluster's issuer, or a rotated key not yet published)");
        }
        for (JWK key : candidates) {
            try {
                JWSVerifier verifier = verifiers.createJWSVerifier(header, ((AsymmetricJWK) key).toPublicKey());
                if (jwt.verify(verifier)) {
                    return set;
                }
            } catch (JOSEException e) {
                throw fail("cannot verify the token signature with key " + LogText.quote(key.getKeyID()) + ": "
                        + e.getMessage());
            }
        }
        throw fail("token signature does not verify with " + (kid == null ? "any matching key" : "key "
                + LogText.quote(kid)) + " of " + keys.describe() + "; the token is forged or altered");
    }

    private JWKSet current(boolean afterMiss) throws AuthenticationException {
        try {
            return afterMiss ? keys.keysAfterMiss() : keys.keys();
        } catch (IOException e) {
            throw AuthenticationException.unavailable(NAME, "cannot load the issuer's keys: " + e.getMessage(), e);
        }
    }

    private static List<JWK> candidates(JWKSet set, JWSAlgorithm alg, String kid) {
        JWKMatcher.Builder matcher = new JWKMatcher.Builder()
                .keyType(KeyType.forAlgorithm(alg))
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(alg, null);
        if (kid != null) {
            matcher.keyID(kid);
        }
        return new JWKSelector(matcher.build()).select(set);
    }

    private static AuthenticationException fail(String reason) {
        return AuthenticationException.unauthenticated(NAME, reason);
    }
}
