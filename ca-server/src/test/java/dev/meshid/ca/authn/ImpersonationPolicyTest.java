package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Impersonation with pods served by fabric8's mock API server. */
class ImpersonationPolicyTest {
    private static final TrustDomain TD = TrustDomain.parse("cluster.local");
    private static final String NODE_PODS = "/api/v1/namespaces/shop/pods?fieldSelector=spec.nodeName%3Dnode-1";
    private static final SpiffeId CART = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/cart");

    private KubernetesMockServer server;
    private KubernetesClient client;
    private BoundedCalls calls;
    private ImpersonationPolicy policy;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        calls = BoundedCalls.create(2, 4);
        policy = new ImpersonationPolicy(TD, Set.of(new ServiceAccountUser("istio-system", "ztunnel")),
                new KubernetesPodDirectory(client, calls, Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        calls.close();
        client.close();
        server.destroy();
    }

    private static Caller nodeAgent(Optional<String> podName, Optional<String> podUid) {
        return new Caller(TD.serviceAccount("istio-system", "ztunnel"), "tokenreview", Optional.of(
                new KubernetesIdentity("istio-system", "ztunnel", podName, podUid)));
    }

    private static Caller nodeAgent() {
        return nodeAgent(Optional.of("ztunnel-abc"), Optional.of("uid-abc"));
    }

    private static Pod pod(String ns, String name, String uid, String sa, String node, String phase) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(uid).endMetadata()
                .withNewSpec().withServiceAccountName(sa).withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    private void callerPodOnNode1() {
        server.expect().get().withPath("/api/v1/namespaces/istio-system/pods/ztunnel-abc")
                .andReturn(200, pod("istio-system", "ztunnel-abc", "uid-abc", "ztunnel", "node-1", "Running")).always();
    }

    private void podsOnNode1(Pod... pods) {
        server.expect().get().withPath(NODE_PODS).andReturn(200, new PodListBuilder().withItems(pods).build()).always();
    }

    private AuthenticationException refused(Caller caller, SpiffeId target) {
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> policy.apply(caller, Optional.of(target)));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.authenticator()).isEqualTo("impersonation");
        return e;
    }

    @Test
    void apply_trustedNodeAgentWithTargetPodOnItsNode_givesTheTargetIdentity() throws Exception {
        callerPodOnNode1();
        podsOnNode1(pod("shop", "cart-1", "u1", "cart", "node-1", "Running"));

        Caller result = policy.apply(nodeAgent(), Optional.of(CART));

        assertThat(result.identity()).isEqualTo(CART);
        assertThat(result.impersonator()).contains(TD.serviceAccount("istio-system", "ztunnel"));
        assertThat(result.kubernetes().orElseThrow().serviceAccount()).isEqualTo("cart");
    }

    @Test
    void apply_noImpersonationRequested_returnsTheCallerWithoutApiCalls() throws Exception {
        Caller caller = nodeAgent();

        assertThat(policy.apply(caller, Optional.empty())).isSameAs(caller);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void apply_noPodOfTargetOnTheNode_isRefusedNamingNodeAndAccount() {
        callerPodOnNode1();
        podsOnNode1(pod("shop", "checkout-1", "u2", "checkout", "node-1", "Running"),
                pod("shop", "cart-old", "u3", "cart", "node-1", "Succeeded"));

        assertThat(refused(nodeAgent(), CART).reason())
                .contains("no pod of service account shop/cart runs on node node-1");
    }

    @Test
    void apply_callerNotATrustedNodeAccount_isRefusedWithoutApiCalls() {
        Caller web = new Caller(TD.serviceAccount("default", "web"), "jwt",
                Optional.of(new KubernetesIdentity("default", "web", Optional.of("web-1"), Optional.empty())));

        assertThat(refused(web, CART).reason()).contains("system:serviceaccount:default:web is not a trusted node account");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void apply_callerWithoutKubernetesIdentity_isRefused() {
        Caller byCert = new Caller(TD.serviceAccount("istio-system", "ztunnel"), "client-cert", Optional.empty());

        assertThat(refused(byCert, CART).reason()).contains("authenticated by client-cert");
    }

    @Test
    void apply_tokenNamesNoPod_isRefused() {
        assertThat(refused(nodeAgent(Optional.empty(), Optional.empty()), CART).reason()).contains("names no pod");
    }

    @Test
    void apply_callerPodReplaced_isRefusedOnUidMismatch() {
        callerPodOnNode1();
        podsOnNode1(pod("shop", "cart-1", "u1", "cart", "node-1", "Running"));

        assertThat(refused(nodeAgent(Optional.of("ztunnel-abc"), Optional.of("uid-old")), CART).reason())
                .contains("uid-old", "the pod was replaced");
    }

    @Test
    void apply_targetInAnotherTrustDomainOrNotAServiceAccount_isRefused() {
        assertThat(refused(nodeAgent(), SpiffeId.parse("spiffe://other.example/ns/shop/sa/cart")).reason())
                .contains("not spiffe://cluster.local/ns/<namespace>/sa/<service-account>");
        assertThat(refused(nodeAgent(), SpiffeId.parse("spiffe://cluster.local/workload/cart")).reason())
                .contains("not spiffe://cluster.local/ns/<namespace>/sa/<service-account>");
    }
}
