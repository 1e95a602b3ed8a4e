package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.ca.config.Setting;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ImpersonatedIdentity} through the whole CA: the node agent istio-system/ztunnel is trusted
 * ({@code --trusted-node-accounts}); its pod runs on node-1, the API server (fabric8's mock) knows the pods.
 */
class ImpersonationE2ETest {
    private static final String REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String PODS_ON_NODE_1 = "/api/v1/namespaces/shop/pods?fieldSelector=spec.nodeName%3Dnode-1";

    @TempDir
    Path dir;
    private KubernetesMockServer apiServer;
    private KubeCa ca;
    private final Tokens tokens = new Tokens("not-known-locally");

    @BeforeEach
    void start() throws Exception {
        apiServer = new KubernetesMockServer(false);
        apiServer.init(InetAddress.getByName("127.0.0.1"), 0);
        ca = new KubeCa(dir, apiServer.createClient(), Map.of(Setting.TRUSTED_NODE_ACCOUNTS,
                "istio-system/ztunnel, kube-system/other-agent"));
        apiServer.expect().get().withPath("/api/v1/namespaces/istio-system/pods/ztunnel-abc").andReturn(200,
                new PodBuilder().withNewMetadata().withName("ztunnel-abc").withNamespace("istio-system")
                        .withUid("uid-abc").endMetadata().withNewSpec().withNodeName("node-1")
                        .withServiceAccountName("ztunnel").endSpec().build()).always();
    }

    @AfterEach
    void stop() {
        ca.close();
        apiServer.destroy();
    }

    /** The API server authenticates every token as {@code ns/sa} running in pod {@code pod}. */
    private void reviewSays(String ns, String sa, String pod, String uid) {
        apiServer.expect().post().withPath(REVIEWS).andReturn(201, new TokenReviewBuilder().withNewStatus()
                .withAuthenticated(true).withAudiences("istio-ca").withNewUser()
                .withUsername("system:serviceaccount:" + ns + ":" + sa).withGroups("system:serviceaccounts")
                .withExtra(Map.of("authentication.kubernetes.io/pod-name", List.of(pod),
                        "authentication.kubernetes.io/pod-uid", List.of(uid)))
                .endUser().endStatus().build()).always();
    }

    private void node1Runs(String ns, String sa) {
        apiServer.expect().get().withPath(PODS_ON_NODE_1).andReturn(200, new PodListBuilder().addNewItem()
                .withNewMetadata().withName(sa + "-1").withNamespace(ns).endMetadata().withNewSpec()
                .withNodeName("node-1").withServiceAccountName(sa).endSpec().endItem().build()).always();
    }

    @Test
    void createCertificate_trustedNodeAccountForPodOnItsNode_getsTheOtherIdentity() throws Exception {
        reviewSays("istio-system", "ztunnel", "ztunnel-abc", "uid-abc");
        node1Runs("shop", "cart");

        IstioCertificateResponse response = ca.stub(CaFixture.bearer(tokens.token("istio-system", "ztunnel")))
                .createCertificate(KubeCa.request("shop", "cart", true));

        ChainChecks.check(response.getCertChainList(), List.of(ca.root.cert()), CaFixture.id("shop", "cart"));
    }

    @Test
    void createCertificate_untrustedAccountAsksToImpersonate_isUnauthenticatedAndItsOwnRequestStillWorks()
            throws Exception {
        reviewSays("default", "web", "web-1", "uid-web");
        node1Runs("shop", "cart");

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> ca.stub(
                CaFixture.bearer(tokens.token("default", "web"))).createCertificate(KubeCa.request("shop", "cart", true)));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        IstioCertificateResponse own = ca.stub(CaFixture.bearer(tokens.token("default", "web")))
                .createCertificate(KubeCa.request("default", "web", false));
        ChainChecks.check(own.getCertChainList(), List.of(ca.root.cert()), CaFixture.id("default", "web"));
    }

    @Test
    void createCertificate_trustedNodeAccountButNoPodOfThatIdentityOnItsNode_isUnauthenticated() throws Exception {
        reviewSays("istio-system", "ztunnel", "ztunnel-abc", "uid-abc");
        node1Runs("shop", "db");

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> ca.stub(
                CaFixture.bearer(tokens.token("istio-system", "ztunnel")))
                .createCertificate(KubeCa.request("shop", "cart", true)));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(apiServer.getLastRequest().getPath()).isEqualTo(PODS_ON_NODE_1);
    }
}
