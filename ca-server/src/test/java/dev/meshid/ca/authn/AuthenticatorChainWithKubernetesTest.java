package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.JWK;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole chain — JWT, TokenReview, cluster id, impersonation — with real authenticators and a mock API server. */
class AuthenticatorChainWithKubernetesTest {
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");
    private static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");
    private static final JWK LOCAL_KEY = TestTokens.rsaKey("local");
    private static final JWK OTHER_KEY = TestTokens.rsaKey("other-cluster");

    @TempDir
    Path dir;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private BoundedCalls calls;
    private FakeClock clock;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        calls = BoundedCalls.create(4, 8);
        clock = FakeClock.at(NOW);
        Files.writeString(dir.resolve("jwks.json"), TestTokens.jwks(LOCAL_KEY));
    }

    @AfterEach
    void stop() {
        calls.close();
        client.close();
        server.destroy();
    }

    private AuthenticatorChain chain(Duration apiTimeout) {
        JwtAuthenticator jwt = new JwtAuthenticator(JwtSettings.of(TestTokens.ISSUER, TD),
                new JwksFile(dir.resolve("jwks.json")), clock);
        TokenReviewAuthenticator review = new TokenReviewAuthenticator(client,
                TokenReviewSettings.of(TD).withTimeout(apiTimeout), calls, clock);
        ImpersonationPolicy impersonation = new ImpersonationPolicy(TD,
                Set.of(new ServiceAccountUser("istio-system", "ztunnel")),
                new KubernetesPodDirectory(client, calls, apiTimeout));
        return new AuthenticatorChain(List.of(new ClientCertAuthenticator(TD, List::of, clock), jwt, review),
                ClusterIdCheck.ownOnly("Kubernetes"), impersonation);
    }

    private static void reviewAccepts(KubernetesMockServer server, String ns, String sa, String pod, String uid) {
        server.expect().post().withPath(TokenReviewAuthenticatorTest.PATH).andReturn(201, new TokenReviewBuilder()
                .withNewStatus().withAuthenticated(true).withAudiences("istio-ca").withNewUser()
                .withUsername("system:serviceaccount:" + ns + ":" + sa).withGroups("system:serviceaccounts")
                .withExtra(Map.of(TokenReviewAuthenticator.POD_NAME, List.of(pod),
                        TokenReviewAuthenticator.POD_UID, List.of(uid)))
                .endUser().endStatus().build()).always();
    }

    @Test
    void authenticate_localJwtValid_needsNoApiRoundTrip() throws Exception {
        String token = TestTokens.sign(LOCAL_KEY, TestTokens.claims(NOW, "default", "web", "web-1").build());

        Caller caller = chain(Duration.ofSeconds(10)).authenticate(AuthRequest.withToken(token, "peer"));

        assertThat(caller.authenticator()).isEqualTo("jwt");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void authenticate_jwtKeyUnknownButTokenReviewAccepts_succeedsByTokenReview() throws Exception {
        reviewAccepts(server, "default", "web", "web-1", "uid-1");
        String token = TestTokens.sign(OTHER_KEY, TestTokens.claims(NOW, "default", "web", "web-1").build());

        Caller caller = chain(Duration.ofSeconds(10)).authenticate(AuthRequest.withToken(token, "peer"));

        assertThat(caller.authenticator()).isEqualTo("tokenreview");
        assertThat(caller.identity()).hasToString("spiffe://cluster.local/ns/default/sa/web");
    }

    @Test
    void authenticate_jwtRefusesAndApiServerHangs_isUnavailableInBoundedTime() {
        server.expect().post().delay(5, TimeUnit.SECONDS).withPath(TokenReviewAuthenticatorTest.PATH)
                .andReturn(201, new TokenReviewBuilder().build()).always();
        String token = TestTokens.sign(OTHER_KEY, TestTokens.claims(NOW, "default", "web", "web-1").build());
        long start = System.nanoTime();

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> chain(Duration.ofMillis(400)).authenticate(AuthRequest.withToken(token, "peer")));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(e.reason()).contains("jwt: no RS256 key with kid \"other-cluster\"", "tokenreview: TokenReview did "
                + "not answer within PT0.4S");
    }

    @Test
    void authenticate_nodeAgentImpersonatesPodOnItsNode_givesTheImpersonatedIdentity() throws Exception {
        reviewAccepts(server, "istio-system", "ztunnel", "ztunnel-abc", "uid-abc");
        server.expect().get().withPath("/api/v1/namespaces/istio-system/pods/ztunnel-abc").andReturn(200,
                new PodBuilder().withNewMetadata().withName("ztunnel-abc").withNamespace("istio-system")
                        .withUid("uid-abc").endMetadata().withNewSpec().withNodeName("node-1")
                        .withServiceAccountName("ztunnel").endSpec().build()).always();
        server.expect().get().withPath("/api/v1/namespaces/shop/pods?fieldSelector=spec.nodeName%3Dnode-1")
                .andReturn(200, new PodListBuilder().addNewItem().withNewMetadata().withName("cart-1")
                        .withNamespace("shop").endMetadata().withNewSpec().withNodeName("node-1")
                        .withServiceAccountName("cart").endSpec().endItem().build()).always();
        SpiffeId cart = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/cart");
        String token = TestTokens.sign(OTHER_KEY, TestTokens.claims(NOW, "istio-system", "ztunnel", "ztunnel-abc").build());

        Caller caller = chain(Duration.ofSeconds(10)).authenticate(AuthRequest.withToken(token, "peer")
                .withImpersonation(cart));

        assertThat(caller.identity()).isEqualTo(cart);
        assertThat(caller.impersonator()).contains(TD.serviceAccount("istio-system", "ztunnel"));
    }
}
