package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JwtAuthenticatorTest {
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");
    private static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");
    private static final JWK RSA = TestTokens.rsaKey("rsa-1");
    private static final JWK EC = TestTokens.ecKey("ec-1");
    private static final JWK OTHER_RSA = TestTokens.rsaKey("rsa-1"); // same kid, different key: a forger's
    private static final JWK UNKNOWN = TestTokens.rsaKey("unknown-kid");

    @TempDir
    Path dir;
    private FakeClock clock;
    private Path jwksFile;
    private JwtAuthenticator authenticator;

    @BeforeEach
    void setUp() throws Exception {
        clock = FakeClock.at(NOW);
        jwksFile = dir.resolve("jwks.json");
        Files.writeString(jwksFile, TestTokens.jwks(RSA, EC));
        authenticator = new JwtAuthenticator(JwtSettings.of(TestTokens.ISSUER, TD), new JwksFile(jwksFile), clock);
    }

    private Optional<Caller> authenticate(String token) throws AuthenticationException {
        return authenticator.authenticate(AuthRequest.withToken(token, "127.0.0.1:5000"));
    }

    @Test
    void authenticate_rsaSignedBoundToken_givesServiceAccountIdentityAndPod() throws Exception {
        String token = TestTokens.sign(RSA, TestTokens.claims(NOW, "shop", "cart", "cart-7d9").build());

        Caller caller = authenticate(token).orElseThrow();

        assertThat(caller.identity()).isEqualTo(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/cart"));
        assertThat(caller.authenticator()).isEqualTo("jwt");
        KubernetesIdentity k8s = caller.kubernetes().orElseThrow();
        assertThat(k8s.namespace()).isEqualTo("shop");
        assertThat(k8s.serviceAccount()).isEqualTo("cart");
        assertThat(k8s.podName()).contains("cart-7d9");
        assertThat(k8s.podUid()).contains("pod-uid-cart-7d9");
    }

    @Test
    void authenticate_ecSignedTokenWithoutKubernetesClaim_givesIdentityWithoutPod() throws Exception {
        JWTClaimsSet claims = TestTokens.claims(NOW, "default", "web", "x").claim("kubernetes.io", null).build();

        Caller caller = authenticate(TestTokens.sign(EC, claims)).orElseThrow();

        assertThat(caller.identity()).hasToString("spiffe://cluster.local/ns/default/sa/web");
        assertThat(caller.kubernetes().orElseThrow().podName()).isEmpty();
    }

    @Test
    void authenticate_noBearerToken_isNotApplicable() throws Exception {
        assertThat(authenticator.authenticate(AuthRequest.withCertificates(List.of(), "peer"))).isEmpty();
    }

    @Test
    void authenticate_expiredWithinClockSkew_isAccepted() throws Exception {
        JWTClaimsSet claims = TestTokens.claims(NOW.minus(Duration.ofHours(1)), "default", "web", "p")
                .expirationTime(Date.from(NOW.minusSeconds(20))).build();

        assertThat(authenticate(TestTokens.sign(RSA, claims))).isPresent();
    }

    @Test
    void authenticate_otherConfiguredAudience_isAccepted() throws Exception {
        authenticator = new JwtAuthenticator(JwtSettings.of(TestTokens.ISSUER, TD)
                .withAudiences(List.of("istio-ca", "meshid")), new JwksFile(jwksFile), clock);
        JWTClaimsSet claims = TestTokens.claims(NOW, "default", "web", "p").audience(List.of("other", "meshid")).build();

        assertThat(authenticate(TestTokens.sign(RSA, claims))).isPresent();
    }

    static Stream<Arguments> badTokens() {
        Function<JWTClaimsSet.Builder, String> rsa = b -> TestTokens.sign(RSA, b.build());
        return Stream.of(
                Arguments.of("garbage", (Function<Instant, String>) now -> "not-a-jwt", List.of("not a JWT")),
                Arguments.of("three garbage parts", (Function<Instant, String>) now -> "aaa.bbb.ccc",
                        List.of("not a JWT")),
                Arguments.of("expired", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now.minus(Duration.ofHours(2)), "default", "web", "p")
                        .expirationTime(Date.from(now.minusSeconds(31)))), List.of("expired at", "skew PT30S")),
                Arguments.of("not yet valid", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").notBeforeTime(Date.from(now.plusSeconds(300)))),
                        List.of("not valid before")),
                Arguments.of("issued in the future", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").notBeforeTime(null)
                        .issueTime(Date.from(now.plusSeconds(300)))), List.of("issued in the future")),
                Arguments.of("wrong audience", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").audience("https://kubernetes.default.svc")),
                        List.of("token audience [https://kubernetes.default.svc] does not include any of [istio-ca]",
                                "mint the token with audience istio-ca")),
                Arguments.of("no audience", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").audience((String) null)), List.of("token audience []")),
                Arguments.of("wrong issuer", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").issuer("https://evil.example")),
                        List.of("issuer \"https://evil.example\"", TestTokens.ISSUER)),
                Arguments.of("forged signature", (Function<Instant, String>) now -> TestTokens.sign(OTHER_RSA,
                        TestTokens.claims(now, "default", "web", "p").build()), List.of("does not verify", "forged")),
                Arguments.of("sub not a service account", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").subject("system:node:worker-1")),
                        List.of("subject \"system:node:worker-1\" is not a service account")),
                Arguments.of("sub with bad namespace", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").subject("system:serviceaccount:Bad_NS:web")),
                        List.of("is not a service account")),
                Arguments.of("unknown kid", (Function<Instant, String>) now -> TestTokens.sign(UNKNOWN,
                        TestTokens.claims(now, "default", "web", "p").build()), List.of("kid \"unknown-kid\"")),
                Arguments.of("alg none", (Function<Instant, String>) now -> TestTokens.unsigned(TestTokens
                        .claims(now, "default", "web", "p").build()), List.of("unsigned")),
                Arguments.of("HMAC with a guessed secret", (Function<Instant, String>) JwtAuthenticatorTest::hmacToken,
                        List.of("algorithm \"HS256\" is not accepted")),
                Arguments.of("no exp", (Function<Instant, String>) now -> rsa.apply(TestTokens
                        .claims(now, "default", "web", "p").expirationTime(null)), List.of("no exp claim")),
                Arguments.of("kubernetes.io claim disagrees with sub", (Function<Instant, String>) now -> rsa.apply(
                        TestTokens.claims(now, "default", "web", "p").claim("kubernetes.io", Map.of(
                                "namespace", "kube-system", "serviceaccount", Map.of("name", "web")))),
                        List.of("namespace \"kube-system\"", "disagrees with the subject system:serviceaccount:default:web")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void authenticate_badToken_isUnauthenticatedWithExactReason(String name, Function<Instant, String> token,
                                                                List<String> reasonParts) {
        String t = token.apply(NOW);

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class, () -> authenticate(t));

        assertThat(e).as(name).isNotNull();
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.authenticator()).isEqualTo("jwt");
        assertThat(e.reason()).contains(reasonParts);
        String[] parts = t.split("\\.");
        if (parts.length == 3 && parts[2].length() > 16) {
            assertThat(e.getMessage()).as("the credential never reaches the log").doesNotContain(parts[2]);
        }
    }

    @Test
    void authenticate_keyAddedToJwksFile_isPickedUpWithoutRestart() throws Exception {
        String token = TestTokens.sign(UNKNOWN, TestTokens.claims(NOW, "default", "web", "p").build());
        assertThat(catchThrowableOfType(AuthenticationException.class, () -> authenticate(token))).isNotNull();

        Files.writeString(jwksFile, TestTokens.jwks(RSA, EC, UNKNOWN));
        Files.setLastModifiedTime(jwksFile, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(authenticate(token)).isPresent();
    }

    @Test
    void authenticate_jwksFileBrokenLater_keepsThePreviousKeys() throws Exception {
        String token = TestTokens.sign(RSA, TestTokens.claims(NOW, "default", "web", "p").build());
        assertThat(authenticate(token)).isPresent();

        Files.writeString(jwksFile, "{\"keys\": [ this is not json");
        Files.setLastModifiedTime(jwksFile, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(authenticate(token)).isPresent();
    }

    @Test
    void authenticate_jwksFileMissing_isUnavailable() throws Exception {
        JwtAuthenticator missing = new JwtAuthenticator(JwtSettings.of(TestTokens.ISSUER, TD),
                new JwksFile(dir.resolve("absent.json")), clock);
        String token = TestTokens.sign(RSA, TestTokens.claims(NOW, "default", "web", "p").build());

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> missing.authenticate(AuthRequest.withToken(token, "peer")));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("absent.json");
    }

    private static String hmacToken(Instant now) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                    TestTokens.claims(now, "default", "web", "p").build());
            jwt.sign(new MACSigner(new byte[32]));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
