package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.JWK;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TokenReview against fabric8's mock API server on 127.0.0.1. */
class TokenReviewAuthenticatorTest {
    static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");
    private static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");
    private static final JWK SIGNER = TestTokens.ecKey("any"); // the mock does not verify; the key only shapes the JWT

    private KubernetesMockServer server;
    private KubernetesClient client;
    private BoundedCalls calls;
    private FakeClock clock;
    private TokenReviewAuthenticator authenticator;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        calls = BoundedCalls.create(4, 8);
        clock = FakeClock.at(NOW);
        // Generous for a loaded build machine; the timeout test sets its own short one.
        authenticator = authenticator(TokenReviewSettings.of(TD).withTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        calls.close();
        client.close();
        server.destroy();
    }

    private TokenReviewAuthenticator authenticator(TokenReviewSettings settings) {
        return new TokenReviewAuthenticator(client, settings, calls, clock);
    }

    /** A JWT-shaped token for {@code ns/sa} that expires {@code ttl} after NOW. */
    static String token(String sa, Duration ttl, String audience) {
        return TestTokens.sign(SIGNER, TestTokens.claims(NOW, "default", sa, sa + "-pod").audience(audience)
                .expirationTime(Date.from(NOW.plus(ttl))).build());
    }

    static TokenReview accepted(String username, List<String> groups, List<String> audiences) {
        return new TokenReviewBuilder().withNewStatus().withAuthenticated(true).withAudiences(audiences)
                .withNewUser().withUsername(username).withUid("u-1").withGroups(groups)
                .withExtra(Map.of(TokenReviewAuthenticator.POD_NAME, List.of("web-5f6"),
                        TokenReviewAuthenticator.POD_UID, List.of("uid-5f6")))
                .endUser().endStatus().build();
    }

    static TokenReview acceptedWeb() {
        return accepted("system:serviceaccount:default:web", List.of("system:serviceaccounts",
                "system:serviceaccounts:default", "system:authenticated"), List.of("istio-ca"));
    }

    private Caller authenticate(String token) throws AuthenticationException {
        return authenticator.authenticate(AuthRequest.withToken(token, "10.0.0.7:41000")).orElseThrow();
    }

    private AuthenticationException refused(String token) {
        return catchThrowableOfType(AuthenticationException.class, () -> authenticate(token));
    }

    @Test
    void authenticate_authenticatedServiceAccount_givesIdentityAndPodFromExtra() throws Exception {
        server.expect().post().withPath(PATH).andReturn(201, acceptedWeb()).once();
        String token = token("web", Duration.ofHours(1), "istio-ca");

        Caller caller = authenticate(token);

        assertThat(caller.identity()).hasToString("spiffe://cluster.local/ns/default/sa/web");
        assertThat(caller.authenticator()).isEqualTo("tokenreview");
        assertThat(caller.kubernetes().orElseThrow().podName()).contains("web-5f6");
        assertThat(caller.kubernetes().orElseThrow().podUid()).contains("uid-5f6");
        RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getBody().readUtf8()).contains("\"audiences\":[\"istio-ca\"]", token);
    }

    @Test
    void authenticate_noBearerToken_isNotApplicableAndCallsNothing() throws Exception {
        assertThat(authenticator.authenticate(AuthRequest.withCertificates(List.of(), "peer"))).isEmpty();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void authenticate_notAuthenticated_isUnauthenticatedWithTheApiServersError() {
        server.expect().post().withPath(PATH).andReturn(201, new TokenReviewBuilder().withNewStatus()
                .withAuthenticated(false).withError("token has been invalidated").endStatus().build()).once();

        AuthenticationException e = refused(token("web", Duration.ofHours(1), "istio-ca"));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.reason()).contains("did not authenticate", "token has been invalidated");
    }

    @Test
    void authenticate_audienceMismatchError_namesBothAudiencesAndTheFix() {
        server.expect().post().withPath(PATH).andReturn(201, new TokenReviewBuilder().withNewStatus()
                .withAuthenticated(false).withError("[invalid bearer token, token audiences "
                        + "[\"https://kubernetes.default.svc\"] is invalid for the target audiences [\"istio-ca\"]]")
                .endStatus().build()).once();

        AuthenticationException e = refused(token("web", Duration.ofHours(1), "https://kubernetes.default.svc"));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.reason()).contains(
                "token audience [https://kubernetes.default.svc] does not include any of [istio-ca]",
                "mint the token with audience istio-ca");
    }

    @Test
    void authenticate_authenticatedWithoutConfirmedAudience_isRefused() {
        server.expect().post().withPath(PATH).andReturn(201, accepted("system:serviceaccount:default:web",
                List.of("system:serviceaccounts"), List.of())).once();

        AuthenticationException e = refused(token("web", Duration.ofHours(1), "https://kubernetes.default.svc"));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.reason()).contains("confirmed audiences []", "[istio-ca]");
    }

    @Test
    void authenticate_userNotInServiceAccountsGroup_isRefused() {
        server.expect().post().withPath(PATH).andReturn(201, accepted("system:serviceaccount:default:web",
                List.of("system:authenticated"), List.of("istio-ca"))).once();

        AuthenticationException e = refused(token("web", Duration.ofHours(1), "istio-ca"));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.reason()).contains("not in group system:serviceaccounts");
    }

    @Test
    void authenticate_usernameNotAServiceAccount_isRefused() {
        server.expect().post().withPath(PATH).andReturn(201, accepted("system:node:worker-1",
                List.of("system:serviceaccounts", "system:nodes"), List.of("istio-ca"))).once();

        AuthenticationException e = refused(token("web", Duration.ofHours(1), "istio-ca"));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.reason()).contains("\"system:node:worker-1\" is not a service account");
    }

    @Test
    void authenticate_apiServerForbidsTokenReview_isUnavailableWithRbacHint() {
        Status forbidden = new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                .withMessage("tokenreviews.authentication.k8s.io is forbidden").build();
        server.expect().post().withPath(PATH).andReturn(403, forbidden).once();

        AuthenticationException e = refused(token("web", Duration.ofHours(1), "istio-ca"));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("HTTP 403", "system:auth-delegator");
    }

    @Test
    void authenticate_slowApiServer_isUnavailableWithinTheTimeoutNotAHang() {
        authenticator = authenticator(TokenReviewSettings.of(TD).withTimeout(Duration.ofMillis(300)));
        server.expect().post().delay(5, TimeUnit.SECONDS).withPath(PATH).andReturn(201, acceptedWeb()).always();
        long start = System.nanoTime();

        AuthenticationException e = refused(token("web", Duration.ofHours(1), "istio-ca"));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("did not answer within PT0.3S");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(2));
        assertThat(authenticator.cachedVerdicts()).isZero();
    }

    @Test
    void authenticate_sameTokenAgain_isServedFromTheCache() throws Exception {
        server.expect().post().withPath(PATH).andReturn(201, acceptedWeb()).always();
        String token = token("web", Duration.ofHours(1), "istio-ca");

        Caller first = authenticate(token);
        clock.advance(Duration.ofSeconds(59));
        Caller second = authenticate(token);

        assertThat(second).isEqualTo(first);
        assertThat(server.getRequestCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        authenticate(token);
        assertThat(server.getRequestCount()).as("the 60 s TTL has passed").isEqualTo(2);
    }

    @Test
    void authenticate_cachedVerdict_neverOutlivesTheTokensExp() throws Exception {
        server.expect().post().withPath(PATH).andReturn(201, acceptedWeb()).always();
        String token = token("web", Duration.ofSeconds(20), "istio-ca");

        authenticate(token);
        clock.advance(Duration.ofSeconds(19));
        authenticate(token);
        assertThat(server.getRequestCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        authenticate(token);
        assertThat(server.getRequestCount()).as("exp reached before the TTL").isEqualTo(2);
    }

    @Test
    void authenticate_rejection_isNotCached() {
        server.expect().post().withPath(PATH).andReturn(201, new TokenReviewBuilder().withNewStatus()
                .withAuthenticated(false).endStatus().build()).always();
        String token = token("web", Duration.ofHours(1), "istio-ca");

        refused(token);
        refused(token);

        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void authenticate_cacheFull_evictsTheLeastRecentlyUsed() throws Exception {
        authenticator = authenticator(TokenReviewSettings.of(TD).withTimeout(Duration.ofSeconds(10))
                .withCache(Duration.ofSeconds(60), 2));
        server.expect().post().withPath(PATH).andReturn(201, acceptedWeb()).always();
        String a = token("a", Duration.ofHours(1), "istio-ca");
        String b = token("b", Duration.ofHours(1), "istio-ca");
        String c = token("c", Duration.ofHours(1), "istio-ca");

        authenticate(a);
        authenticate(b);
        authenticate(a); // a is now the most recently used
        authenticate(c); // evicts b
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(authenticator.cachedVerdicts()).isEqualTo(2);

        authenticate(a);
        assertThat(server.getRequestCount()).isEqualTo(3);
        authenticate(b);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }
}
