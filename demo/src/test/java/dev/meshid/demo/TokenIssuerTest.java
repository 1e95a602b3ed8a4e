package dev.meshid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.ca.authn.AuthRequest;
import dev.meshid.ca.authn.AuthenticationException;
import dev.meshid.ca.authn.Caller;
import dev.meshid.ca.authn.JwksFile;
import dev.meshid.ca.authn.JwtAuthenticator;
import dev.meshid.ca.authn.JwtSettings;
import dev.meshid.pki.id.TrustDomain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenIssuerTest {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private final TokenIssuer issuer = new TokenIssuer(TokenIssuer.KUBERNETES_ISSUER, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void token_hasTheClaimsOfAProjectedServiceAccountToken() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.token("default", "bookinfo-details", Duration.ofHours(1)));

        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(claims.getAudience()).containsExactly("istio-ca");
        assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:default:bookinfo-details");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        Map<String, Object> k8s = claims.getJSONObjectClaim("kubernetes.io");
        assertThat(k8s).containsEntry("namespace", "default");
        assertThat(k8s.get("serviceaccount")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("name", "bookinfo-details").containsKey("uid");
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    }

    @Test
    void jwks_holdsOnlyThePublicKey_whoseKidTheTokensName() throws Exception {
        JWKSet set = JWKSet.parse(issuer.jwks());
        SignedJWT jwt = SignedJWT.parse(issuer.token("default", "bookinfo-productpage", Duration.ofHours(1)));

        assertThat(set.getKeys()).hasSize(1);
        ECKey key = set.getKeys().get(0).toECKey();
        assertThat(key.isPrivate()).isFalse();
        assertThat(issuer.jwks()).doesNotContain("\"d\"");
        assertThat(key.getKeyID()).isEqualTo(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key))).isTrue();
    }

    @Test
    void theCasOwnJwtAuthenticator_acceptsTheTokenAndDerivesTheSpiffeId() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        issuer.writeJwks(jwks);
        Path tokenFile = dir.resolve("details.token");
        issuer.writeToken(tokenFile, "default", "bookinfo-details");

        Caller caller = authenticator(jwks, NOW.plusSeconds(60))
                .authenticate(AuthRequest.withToken(Files.readString(tokenFile), "127.0.0.1:1")).orElseThrow();

        assertThat(caller.identity().toString()).isEqualTo("spiffe://cluster.local/ns/default/sa/bookinfo-details");
    }

    @Test
    void theCasJwtAuthenticator_refusesTheTokenAfterItsHour() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        issuer.writeJwks(jwks);
        String token = issuer.token("default", "bookinfo-details", Duration.ofHours(1));

        assertThatThrownBy(() -> authenticator(jwks, NOW.plus(Duration.ofHours(1)).plusSeconds(120))
                .authenticate(AuthRequest.withToken(token, "127.0.0.1:1")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("expired");
    }

    @Test
    void anotherIssuersKey_isNotInTheJwks_soItsTokensAreRefused() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        issuer.writeJwks(jwks);
        String forged = new TokenIssuer(TokenIssuer.KUBERNETES_ISSUER, Clock.fixed(NOW, ZoneOffset.UTC))
                .token("default", "bookinfo-details", Duration.ofHours(1));

        assertThatThrownBy(() -> authenticator(jwks, NOW).authenticate(AuthRequest.withToken(forged, "127.0.0.1:1")))
                .isInstanceOf(AuthenticationException.class);
    }

    private static JwtAuthenticator authenticator(Path jwks, Instant now) {
        JwtSettings settings = JwtSettings.of(TokenIssuer.KUBERNETES_ISSUER, TrustDomain.parse("cluster.local"))
                .withAudiences(List.of("istio-ca"));
        return new JwtAuthenticator(settings, new JwksFile(jwks), Clock.fixed(now, ZoneOffset.UTC));
    }
}
