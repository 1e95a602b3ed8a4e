package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.JWK;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OIDC discovery and JWKS fetching against a real HTTP server on 127.0.0.1. */
class OidcJwksTest {
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");
    private static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(10); // generous: a loaded build machine is slow
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    private static final JWK KEY_1 = TestTokens.rsaKey("key-1");
    private static final JWK KEY_2 = TestTokens.ecKey("key-2");

    private HttpServer server;
    private String issuer;
    private final AtomicReference<String> jwks = new AtomicReference<>(TestTokens.jwks(KEY_1));
    private final AtomicReference<String> advertisedIssuer = new AtomicReference<>();
    private final AtomicInteger jwksStatus = new AtomicInteger(200);
    private final AtomicInteger discoveryHits = new AtomicInteger();
    private final AtomicInteger jwksHits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;
    private FakeClock clock;
    private JwtAuthenticator authenticator;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        advertisedIssuer.set(issuer);
        server.createContext("/.well-known/openid-configuration", ex -> {
            discoveryHits.incrementAndGet();
            respond(ex, 200, "{\"issuer\":\"" + advertisedIssuer.get() + "\",\"jwks_uri\":\"" + issuer
                    + "/openid/v1/jwks\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        });
        server.createContext("/openid/v1/jwks", ex -> {
            jwksHits.incrementAndGet();
            if (hang) {
                await(release);
            }
            respond(ex, jwksStatus.get(), jwks.get());
        });
        server.start();
        clock = FakeClock.at(NOW);
        authenticator = authenticator(TIMEOUT);
    }

    private JwtAuthenticator authenticator(Duration timeout) {
        OidcJwks keys = new OidcJwks(issuer, HttpClient.newHttpClient(), timeout, MIN_REFRESH, Duration.ofHours(1), clock);
        return new JwtAuthenticator(JwtSettings.of(issuer, TD), keys, clock);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private String token(JWK key) {
        return TestTokens.sign(key, TestTokens.claims(NOW, "default", "web", "web-1").issuer(issuer).build());
    }

    private Caller authenticate(String token) throws AuthenticationException {
        return authenticator.authenticate(AuthRequest.withToken(token, "peer")).orElseThrow();
    }

    @Test
    void authenticate_keysFromDiscovery_acceptsAndCachesThem() throws Exception {
        assertThat(authenticate(token(KEY_1)).identity()).hasToString("spiffe://cluster.local/ns/default/sa/web");
        assertThat(authenticate(token(KEY_1)).identity()).hasToString("spiffe://cluster.local/ns/default/sa/web");

        assertThat(discoveryHits).hasValue(1);
        assertThat(jwksHits).hasValue(1);
    }

    @Test
    void authenticate_tokenSignedByRotatedInKey_refetchesOnceAndAccepts() throws Exception {
        authenticate(token(KEY_1));
        jwks.set(TestTokens.jwks(KEY_1, KEY_2));
        clock.advance(MIN_REFRESH);

        assertThat(authenticate(token(KEY_2)).authenticator()).isEqualTo("jwt");
        assertThat(jwksHits).hasValue(2);
    }

    @Test
    void authenticate_unknownKids_refetchAtMostOncePerInterval() throws Exception {
        authenticate(token(KEY_1));
        JWK stranger = TestTokens.rsaKey("stranger");
        clock.advance(MIN_REFRESH);

        for (int i = 0; i < 5; i++) {
            AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                    () -> authenticate(token(stranger)));
            assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
            assertThat(e.reason()).contains("kid \"stranger\"");
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(jwksHits).as("first load + one refresh for the first miss").hasValue(2);

        clock.advance(MIN_REFRESH);
        catchThrowableOfType(AuthenticationException.class, () -> authenticate(token(stranger)));
        assertThat(jwksHits).hasValue(3);
    }

    @Test
    void authenticate_jwksEndpointHangs_isUnavailableWithinTheTimeout() throws Exception {
        hang = true;
        authenticator = authenticator(SHORT_TIMEOUT);
        long start = System.nanoTime();

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> authenticate(token(KEY_1)));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("did not answer within PT0.5S");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void authenticate_refreshFailsForUnknownKid_isUnavailableNotUnknownKey() throws Exception {
        authenticate(token(KEY_1));
        jwksStatus.set(503);
        clock.advance(MIN_REFRESH);

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> authenticate(token(KEY_2)));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("HTTP 503");
        assertThat(authenticate(token(KEY_1))).as("known keys still work").isNotNull();
    }

    @Test
    void authenticate_discoveryNamesAnotherIssuer_isUnavailableNamingBoth() {
        advertisedIssuer.set("https://elsewhere.example");

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> authenticate(token(KEY_1)));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("https://elsewhere.example", issuer);
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
