package dev.meshid.ca.authn;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's keys found through OIDC discovery: {@code <issuer>/.well-known/openid-configuration} names the
 * {@code jwks_uri}, which holds the keys. Both are fetched with a bounded time. The keys are cached; they are
 * fetched again when older than the maximum age (keeping the old ones if that fails) and when a token names an
 * unknown key, but then at most once per minimum interval, so tokens with made-up key ids cannot turn the CA
 * into a load generator against the issuer.
 */
public final class OidcJwks implements JwkSetSource {
    private static final Logger LOG = LoggerFactory.getLogger(OidcJwks.class);
    private static final int MAX_BYTES = 1 << 20;
    /** Before the first success, how often a request may trigger another attempt. */
    private static final Duration FIRST_LOAD_RETRY = Duration.ofSeconds(1);

    private record Fetched(JWKSet keys, URI jwksUri, Instant at) {
    }

    private final String issuer;
    private final URI discovery;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration minRefresh;
    private final Duration maxAge;
    private final Clock clock;
    private volatile Fetched fetched;
    private Instant lastAttempt; // guarded by this
    private IOException lastFailure; // guarded by this

    /**
     * @param issuer the issuer URL exactly as in tokens' {@code iss}
     * @param http the client (its SSL context decides which issuer certificates are trusted)
     * @param timeout bound on each HTTP exchange, body included
     * @param minRefresh least time between two fetches caused by unknown key ids
     * @param maxAge age after which the keys are fetched again
     */
    public OidcJwks(String issuer, HttpClient http, Duration timeout, Duration minRefresh, Duration maxAge, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.discovery = URI.create(base + "/.well-known/openid-configuration");
        if (!"https".equals(discovery.getScheme()) && !"http".equals(discovery.getScheme())) {
            throw new IllegalArgumentException("OIDC issuer " + issuer + " must be an http(s) URL");
        }
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.minRefresh = Objects.requireNonNull(minRefresh, "minRefresh");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Default timeout, intervals and HTTP client. */
    public static OidcJwks of(String issuer, Clock clock) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(AuthnDefaults.CALL_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        return new OidcJwks(issuer, http, AuthnDefaults.CALL_TIMEOUT, AuthnDefaults.JWKS_MIN_REFRESH,
                AuthnDefaults.JWKS_MAX_AGE, clock);
    }

    @Override
    public JWKSet keys() throws IOException {
        Fetched f = fetched;
        if (f != null && clock.instant().isBefore(f.at().plus(maxAge))) {
            return f.keys();
        }
        return refresh(false);
    }

    @Override
    public JWKSet keysAfterMiss() throws IOException {
        return refresh(true);
    }

    /**
     * Fetches unless the last attempt was too recent. After a failure the caller gets the keys it can still
     * trust: stale keys for a plain read, an exception for a miss (a token must not be called "signed by an
     * unknown key" when the real reason is that the keys could not be fetched).
     */
    private synchronized JWKSet refresh(boolean miss) throws IOException {
        Instant now = clock.instant();
        Fetched f = fetched;
        Duration interval = f == null ? FIRST_LOAD_RETRY : minRefresh;
        if (lastAttempt != null && now.isBefore(lastAttempt.plus(interval))) {
            if (lastFailure != null && (f == null || miss)) {
                throw new IOException(lastFailure.getMessage() + " (next attempt after " + lastAttempt.plus(interval)
                        + ")", lastFailure);
            }
            return f.keys();
        }
        lastAttempt = now;
        try {
            Fetched next = fetch(now);
            fetched = next;
            lastFailure = null;
            return next.keys();
        } catch (IOException e) {
            lastFailure = e;
            if (f == null || miss) {
                throw e;
            }
            LOG.warn("{}; keeping the {} key(s) fetched at {}", e.getMessage(), f.keys().getKeys().size(), f.at());
            return f.keys();
        }
    }

    private Fetched fetch(Instant now) throws IOException {
        Map<String, Object> config;
        try {
            config = JSONObjectUtils.parse(get(discovery));
        } catch (ParseException e) {
            throw new IOException("OIDC discovery document " + discovery + " is not a JSON object: " + e.getMessage(), e);
        }
        Object advertised = config.get("issuer");
        if (!issuer.equals(advertised)) {
            throw new IOException("OIDC discovery document " + discovery + " names issuer " + advertised
                    + ", not the configured " + issuer + "; set the issuer to exactly the tokens' iss");
        }
        Object uri = config.get("jwks_uri");
        if (!(uri instanceof String s) || s.isBlank()) {
            throw new IOException("OIDC discovery document " + discovery + " has no jwks_uri");
        }
        URI jwksUri = URI.create(s);
        try {
            JWKSet keys = JWKSet.parse(get(jwksUri)).toPublicJWKSet();
            LOG.info("fetched {} key(s) from {}", keys.getKeys().size(), jwksUri);
            return new Fetched(keys, jwksUri, now);
        } catch (ParseException e) {
            throw new IOException("JWKS at " + jwksUri + " is not a JSON Web Key Set: " + e.getMessage(), e);
        }
    }

    private String get(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            // The request timeout covers only the headers; the future's timeout bounds the body too.
            response = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("GET " + uri + " did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IOException("GET " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        if (response.body().length > MAX_BYTES) {
            throw new IOException("GET " + uri + " returned more than " + MAX_BYTES + " bytes");
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
        Fetched f = fetched;
        return f == null ? "OIDC discovery " + discovery + " (not fetched yet)"
                : "JWKS " + f.jwksUri() + " (" + f.keys().getKeys().size() + " key(s), fetched " + f.at() + ")";
    }
}
