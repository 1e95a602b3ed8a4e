package dev.meshid.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import dev.meshid.ca.authn.AuthnDefaults;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.testing.FakeClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JwksUrl} against a JWKS served by the JDK's HTTP server on 127.0.0.1; time from a fake clock. */
class JwksUrlTest {
    private final FakeClock clock = FakeClock.at("2030-05-01T12:00:00Z");
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private JwksUrl jwks;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/openid/v1/jwks", exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        jwks = new JwksUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/openid/v1/jwks"), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static JWK key(String kid) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) Keys.generate(KeyAlgorithm.EC_P256).getPublic()).keyID(kid)
                .build();
    }

    private void serve(JWK... keys) {
        body.set(new JWKSet(List.of(keys)).toString());
    }

    private static List<String> kids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).toList();
    }

    @Test
    void keys_served_areFetchedOnceAndReusedUntilMaxAge() throws Exception {
        serve(key("k1"));

        assertThat(kids(jwks.keys())).containsExactly("k1");
        assertThat(kids(jwks.keys())).containsExactly("k1");
        assertThat(requests).hasValue(1);

        clock.advance(AuthnDefaults.JWKS_MAX_AGE.plusSeconds(1));
        serve(key("k2"));
        assertThat(kids(jwks.keys())).containsExactly("k2");
        assertThat(requests).hasValue(2);
    }

    @Test
    void keysAfterMiss_rotatedKey_isPickedUpButAtMostOncePerMinimumRefresh() throws Exception {
        serve(key("old"));
        jwks.keys();
        serve(key("old"), key("new"));

        assertThat(kids(jwks.keysAfterMiss())).as("too soon after the last fetch").containsExactly("old");
        clock.advance(AuthnDefaults.JWKS_MIN_REFRESH.plusSeconds(1));
        assertThat(kids(jwks.keysAfterMiss())).containsExactly("old", "new");
        assertThat(requests).hasValue(2);
    }

    @Test
    void keys_refreshFails_keepsTheOldKeysAndBacksOffBeforeTheNextTry() throws Exception {
        serve(key("k1"));
        jwks.keys();
        status.set(500);
        body.set("{\"error\":\"down\"}");
        clock.advance(AuthnDefaults.JWKS_MAX_AGE.plusSeconds(1));

        assertThat(kids(jwks.keys())).containsExactly("k1");
        assertThat(kids(jwks.keys())).containsExactly("k1");
        assertThat(kids(jwks.keysAfterMiss())).containsExactly("k1");
        assertThat(requests).as("one failed try, then back-off").hasValue(2);

        status.set(200);
        serve(key("k2"));
        clock.advance(AuthnDefaults.JWKS_MIN_REFRESH.plus(Duration.ofSeconds(1)));
        assertThat(kids(jwks.keys())).containsExactly("k2");
        assertThat(requests).hasValue(3);
    }

    @Test
    void keys_firstFetchFails_throwsNamingTheUrl() {
        status.set(404);
        body.set("not here");

        assertThatThrownBy(() -> jwks.keys()).isInstanceOf(IOException.class).hasMessageContaining("/openid/v1/jwks");
        assertThat(jwks.describe()).contains("not fetched yet");
    }
}
