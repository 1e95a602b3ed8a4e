package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.authn.BoundedCalls;
import dev.meshid.ca.authn.KubernetesPodDirectory;
import dev.meshid.ca.bundle.RootPublisherOptions;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.keysource.SecretRootStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the CA's real Kubernetes code (and fabric8's LeaseLock, which RootPublisher uses) against a recording
 * API server, and checks that every request it actually sends is one the manifests' RBAC allows and one the
 * table of {@link RbacTest} lists. This catches what reading the source cannot: the verbs a library picks
 * (fabric8 7 renews a lease with PATCH, not PUT).
 */
class RecordedCallsTest {
    private static final String NS = CaConfig.defaults().namespace();

    private final Rbac rbac = new Rbac(Manifests.objectsUnder(Manifests.CA), NS, "meshid-ca");
    private RecordingApiServer api;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        api = new RecordingApiServer();
        client = api.client();
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    @Test
    void leaseLock_getCreateAndRenew_areAllowed() throws Exception {
        String lease = RootPublisherOptions.DEFAULT_LEASE_NAME;
        api.absent(NS, "leases", lease);
        LeaseLock lock = new LeaseLock(NS, lease, "meshid-ca-0");
        ZonedDateTime now = ZonedDateTime.now();
        assertThat(lock.get(client)).isNull();
        lock.create(client, new LeaderElectionRecord("meshid-ca-0", Duration.ofSeconds(15), now, now, 0));
        lock.get(client);
        lock.update(client, new LeaderElectionRecord("meshid-ca-0", Duration.ofSeconds(15), now, now.plusSeconds(2), 0));
        assertAllowedAndListed("leases", List.of("get", "create", "patch"));
    }

    @Test
    void secretRootStore_readCreateAndReplace_areAllowed() throws Exception {
        api.absent(NS, "secrets", SecretRootStore.ISTIO_CA_SECRET);
        SecretRootStore store = SecretRootStore.istioCaSecret(client, NS);
        assertThat(store.read()).isEmpty();
        store.createIfAbsent(Map.of("root-cert.pem", "x"));
        Map<String, String> current = store.read().orElseThrow();
        store.replace(current, Map.of("root-cert.pem", "y"));
        assertAllowedAndListed("secrets", List.of("get", "create", "update"));
    }

    @Test
    void podDirectory_getAndListByNode_areAllowed() throws Exception {
        try (BoundedCalls calls = BoundedCalls.create()) {
            KubernetesPodDirectory pods = new KubernetesPodDirectory(client, calls, Duration.ofSeconds(5));
            pods.pod("default", "productpage-1");
            pods.runsOn("node-1", "default", "bookinfo-productpage");
        }
        assertAllowedAndListed("pods", List.of("get", "list"));
    }

    @Test
    void rootConfigMaps_createThenRepair_areAllowed() throws Exception {
        String name = RootConfigMapsName.name();
        api.absent("default", "configmaps", name);
        Class<?> type = Class.forName("dev.meshid.ca.bundle.RootConfigMaps");
        Constructor<?> c = type.getDeclaredConstructor(KubernetesClient.class);
        c.setAccessible(true);
        Object configMaps = c.newInstance(client);
        Method reconcile = type.getDeclaredMethod("reconcile", String.class, String.class);
        reconcile.setAccessible(true);
        assertThat(reconcile.invoke(configMaps, "default", "PEM-1")).hasToString("CREATED");
        assertThat(reconcile.invoke(configMaps, "default", "PEM-2")).hasToString("REPAIRED");
        assertAllowedAndListed("configmaps", List.of("get", "create", "update"));
    }

    /** Every recorded request is allowed and in the table, and the calls made exactly these verbs. */
    private void assertAllowedAndListed(String resource, List<String> verbs) {
        List<Rbac.Request> seen = api.requests();
        assertThat(seen).extracting(Rbac.Request::resource).containsOnly(resource);
        assertThat(seen).extracting(Rbac.Request::verb).containsAll(verbs).containsOnlyElementsOf(verbs);
        for (Rbac.Request r : seen) {
            assertThat(rbac.allows(r)).as(r + " allowed by the manifests").isTrue();
            // The table lists cluster-wide calls without a namespace: a call in any namespace is covered by it.
            boolean listed = RbacTest.CALLS.stream().map(RbacTest.Call::request).anyMatch(q ->
                    q.resource().equals(r.resource()) && q.verb().equals(r.verb()) && q.apiGroup().equals(r.apiGroup())
                            && (q.namespace() == null || q.namespace().equals(r.namespace()))
                            && (q.name() == null || q.name().equals(r.name())));
            assertThat(listed).as(r + " is in RbacTest's table").isTrue();
        }
    }
}
