package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.testing.CapturedLog;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenReview through the whole CA: TLS gRPC in, fabric8's mock API server behind. */
class TokenReviewE2ETest {
    private static final String REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String API_SERVER_AUDIENCE = "https://kubernetes.default.svc";

    @TempDir
    Path dir;
    private KubernetesMockServer apiServer;
    private KubeCa ca;
    private final Tokens tokens = new Tokens("not-known-locally");

    @BeforeEach
    void start() throws Exception {
        apiServer = new KubernetesMockServer(false);
        apiServer.init(InetAddress.getByName("127.0.0.1"), 0);
        ca = new KubeCa(dir, apiServer.createClient(), Map.of());
    }

    @AfterEach
    void stop() {
        ca.close();
        apiServer.destroy();
    }

    private static TokenReview accepted(String ns, String sa) {
        return new TokenReviewBuilder().withNewStatus().withAuthenticated(true).withAudiences("istio-ca")
                .withNewUser().withUsername("system:serviceaccount:" + ns + ":" + sa)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated")
                .endUser().endStatus().build();
    }

    @Test
    void createCertificate_serviceAccountTheApiServerAuthenticates_getsItsSpiffeIdVerifiedByOpenssl() throws Exception {
        apiServer.expect().post().withPath(REVIEWS).andReturn(201, accepted("shop", "cart")).always();

        IstioCertificateResponse response = ca.stub(CaFixture.bearer(tokens.token("shop", "cart")))
                .createCertificate(KubeCa.request("shop", "cart", false));

        ChainChecks.check(response.getCertChainList(), List.of(ca.root.cert()), CaFixture.id("shop", "cart"));
        assertThat(CaFixture.id("shop", "cart")).hasToString("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(apiServer.getLastRequest().getBody().readUtf8()).contains("\"audiences\":[\"istio-ca\"]");
    }

    @Test
    void createCertificate_tokenForTheApiServerAudience_isUnauthenticatedAndTheLogNamesBothAudiences()
            throws Exception {
        // What a real API server answers when spec.audiences does not match the token's aud.
        apiServer.expect().post().withPath(REVIEWS).andReturn(201, new TokenReviewBuilder().withNewStatus()
                .withAuthenticated(false).withError("[invalid bearer token, token audiences [\"" + API_SERVER_AUDIENCE
                        + "\"] is invalid for the target audiences [\"istio-ca\"]]").endStatus().build()).always();
        String token = tokens.sign(Tokens.claims("shop", "cart").audience(API_SERVER_AUDIENCE).build());

        try (CapturedLog log = new CapturedLog()) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> ca.stub(
                    CaFixture.bearer(token)).createCertificate(KubeCa.request("shop", "cart", false)));

            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).doesNotContain(API_SERVER_AUDIENCE);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.text().lines()
                    .filter(l -> l.contains("StatusMapper") && l.contains("tokenreview refused")))
                    .anySatisfy(l -> assertThat(l).contains(API_SERVER_AUDIENCE, "istio-ca")));
        }
    }

    @Test
    void createCertificate_apiServerSlowerThanTheTimeout_isUnavailableWithinBoundedTime() throws Exception {
        apiServer.expect().post().delay(20, TimeUnit.SECONDS).withPath(REVIEWS).andReturn(201, accepted("shop", "cart"))
                .always();
        long start = System.nanoTime();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> ca.stub(
                CaFixture.bearer(tokens.token("shop", "cart"))).createCertificate(KubeCa.request("shop", "cart", false)));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        // The CA's API-server timeout is 5 s; the mock would answer only after 20 s.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(4)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void createCertificate_unknownClusterIdHeader_isUnauthenticatedWithoutAskingTheApiServer() throws Exception {
        apiServer.expect().post().withPath(REVIEWS).andReturn(201, accepted("shop", "cart")).always();
        Metadata headers = CaFixture.bearer(tokens.token("shop", "cart"));
        headers.put(Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER), "cluster-nobody-knows");

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ca.stub(headers).createCertificate(KubeCa.request("shop", "cart", false)));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(apiServer.getRequestCount()).isZero();
        // The own cluster id (Istio's default) is accepted on the same connection.
        Metadata own = CaFixture.bearer(tokens.token("shop", "cart"));
        own.put(Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER), "Kubernetes");
        assertThat(ca.stub(own).createCertificate(KubeCa.request("shop", "cart", false)).getCertChainCount())
                .isGreaterThanOrEqualTo(2);
    }
}
