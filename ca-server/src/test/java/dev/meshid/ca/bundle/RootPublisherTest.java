package dev.meshid.ca.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.testing.TestPki;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against fabric8's CRUD mock server with real leader election (short timings). The mock cannot serve
 * watches with Vert.x 5 on the classpath (fabric8io/kubernetes-client#7174), so repairs here come from the
 * leader's periodic resync, set to 200 ms; in a cluster, informer events make them immediate.
 */
@EnableKubernetesMockClient(crud = true)
class RootPublisherTest {
    static final String CA_NS = "istio-system";
    static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesClient client;
    KubernetesMockServer server;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final TrustBundle first = bundle("first");

    @BeforeEach
    void namespaces() {
        createNamespace(CA_NS);
        createNamespace("default");
        createNamespace("apps");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private static TrustBundle bundle(String name) {
        return new TrustBundle(List.of(TestPki.root(name).build().cert()));
    }

    private void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private ConfigMap copy(String ns) {
        return client.configMaps().inNamespace(ns).withName("istio-ca-root-cert").get();
    }

    private ScheduledExecutorService scheduler() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        cleanup.add(s::shutdownNow);
        return s;
    }

    private RootPublisher publisher(KubernetesClient c, String identity, ScheduledExecutorService s) {
        RootPublisherOptions o = RootPublisherOptions.defaults(CA_NS).withIdentity(identity).withTimings(
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(200));
        RootPublisher p = new RootPublisher(c, o, s);
        cleanup.add(0, p);
        return p;
    }

    private RootPublisher leader(TrustBundle b) {
        RootPublisher p = publisher(client, "ca-0", scheduler());
        p.update(b);
        p.start();
        await().atMost(WAIT).until(p::isLeader);
        return p;
    }

    private void awaitPublished(TrustBundle b, String... namespaces) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (String ns : namespaces) {
                ConfigMap cm = copy(ns);
                assertThat(cm).as("ConfigMap in " + ns).isNotNull();
                assertThat(cm.getData()).containsEntry("root-cert.pem", b.toPem());
                assertThat(cm.getMetadata().getLabels()).containsEntry("istio.io/config", "true");
            }
        });
    }

    @Test
    void leader_publishesToEveryNamespace_andAtOnceToANewOne() {
        leader(first);
        awaitPublished(first, CA_NS, "default", "apps");

        createNamespace("late");

        awaitPublished(first, "late");
    }

    @Test
    void editedCopy_isRepaired_keepingUnrelatedKeys() {
        leader(first);
        awaitPublished(first, "apps");

        client.configMaps().inNamespace("apps").withName("istio-ca-root-cert").edit(cm -> new ConfigMapBuilder(cm)
                .editMetadata().removeFromLabels("istio.io/config").endMetadata()
                .addToData("root-cert.pem", "tampered").addToData("note", "kept").build());

        awaitPublished(first, "apps");
        assertThat(copy("apps").getData()).containsEntry("note", "kept");
    }

    @Test
    void deletedCopy_isRecreated() {
        leader(first);
        awaitPublished(first, "default");

        client.configMaps().inNamespace("default").withName("istio-ca-root-cert").delete();

        awaitPublished(first, "default");
    }

    @Test
    void bundleChange_reachesAllNamespaces() {
        RootPublisher p = leader(first);
        awaitPublished(first, CA_NS, "default", "apps");
        TrustBundle rotated = bundle("second").merge(first);

        p.update(rotated);

        awaitPublished(rotated, CA_NS, "default", "apps");
    }

    @Test
    void terminatingNamespace_isSkipped() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("going").endMetadata()
                .withNewStatus().withPhase("Terminating").endStatus().build()).create();
        RootPublisher p = leader(first);
        awaitPublished(first, "default");
        // Barrier: once a later bundle is everywhere else, the leader has passed "going" at least twice.
        TrustBundle second = bundle("second");
        p.update(second);
        awaitPublished(second, CA_NS, "default", "apps");

        assertThat(copy("going")).isNull();
    }

    @Test
    void nonLeader_doesNotWrite_untilItTakesOverTheLease() throws Exception {
        RootPublisher leader = publisher(client, "ca-0", scheduler());
        leader.start();
        await().atMost(WAIT).until(leader::isLeader);
        KubernetesClient otherClient = server.createClient();
        cleanup.add(otherClient);
        ScheduledExecutorService otherScheduler = scheduler();
        RootPublisher candidate = publisher(otherClient, "ca-1", otherScheduler);
        candidate.start();
        // Only the candidate knows a bundle; it must not publish it while ca-0 holds the lease.
        candidate.update(first);
        otherScheduler.submit(() -> { }).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> client.leases().inNamespace(CA_NS)
                .withName(RootPublisherOptions.DEFAULT_LEASE_NAME).get() != null);

        assertThat(candidate.isLeader()).isFalse();
        assertThat(client.configMaps().inAnyNamespace().withField("metadata.name", "istio-ca-root-cert").list()
                .getItems()).isEmpty();
        assertThat(client.leases().inNamespace(CA_NS).withName(RootPublisherOptions.DEFAULT_LEASE_NAME).get()
                .getSpec().getHolderIdentity()).isEqualTo("ca-0");

        leader.close();

        await().atMost(WAIT).until(candidate::isLeader);
        awaitPublished(first, CA_NS, "default", "apps");
    }
}
