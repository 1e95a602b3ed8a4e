package dev.meshid.ca.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer path of {@link RootPublisher}, against fabric8's mock API server in a child JVM (whose
 * watches work, unlike the in-process one's on this classpath). The leader lists everything once when it
 * starts leading; the resync is an hour, so every later repair must come from a namespace or ConfigMap event.
 * Each test has its own lease and namespaces on the shared server.
 */
class RootPublisherWatchTest {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static ForkedKubernetesMockServer server;
    private static KubernetesClient client;

    private final int run = RUNS.incrementAndGet();
    private final String caNs = "istio-system-" + run;
    private final String apps = "apps-" + run;
    private final TrustBundle first = bundle("first");
    private ScheduledExecutorService scheduler;
    private RootPublisher publisher;

    @BeforeAll
    static void startServer() {
        server = ForkedKubernetesMockServer.start();
        client = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    @BeforeEach
    void startLeader() {
        createNamespace(caNs);
        createNamespace(apps);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        // Kubernetes' usual lease timings, so leadership (whose start lists everything) is not lost mid-test.
        RootPublisherOptions options = new RootPublisherOptions(caNs, "root-publisher-" + run, "ca-0",
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofHours(1));
        publisher = new RootPublisher(client, options, scheduler);
        publisher.update(first);
        publisher.start();
        waiting().until(publisher::isLeader);
        awaitPublished(first, caNs, apps);
    }

    @AfterEach
    void stopLeader() {
        publisher.close();
        scheduler.shutdownNow();
    }

    private static ConditionFactory waiting() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }

    private static TrustBundle bundle(String name) {
        return new TrustBundle(List.of(TestPki.root(name).build().cert()));
    }

    private static void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private static ConfigMap copy(String ns) {
        return client.configMaps().inNamespace(ns).withName(RootConfigMaps.NAME).get();
    }

    private static void awaitPublished(TrustBundle b, String... namespaces) {
        waiting().untilAsserted(() -> {
            for (String ns : namespaces) {
                ConfigMap cm = copy(ns);
                assertThat(cm).as("ConfigMap in " + ns).isNotNull();
                assertThat(cm.getData()).containsEntry(RootConfigMaps.DATA_KEY, b.toPem());
                assertThat(cm.getMetadata().getLabels()).containsEntry(RootConfigMaps.LABEL_KEY, "true");
            }
        });
    }

    @Test
    void namespaceCreatedAfterStart_getsItsCopyFromTheNamespaceWatch() {
        String late = "late-" + run;

        createNamespace(late);

        awaitPublished(first, late);
    }

    @Test
    void editedCopy_isRepairedFromTheConfigMapWatch_keepingUnrelatedKeys() {
        client.configMaps().inNamespace(apps).withName(RootConfigMaps.NAME).edit(cm -> new ConfigMapBuilder(cm)
                .editMetadata().removeFromLabels(RootConfigMaps.LABEL_KEY).endMetadata()
                .addToData(RootConfigMaps.DATA_KEY, "tampered").addToData("note", "kept").build());

        awaitPublished(first, apps);
        assertThat(copy(apps).getData()).containsEntry("note", "kept");
    }

    @Test
    void deletedCopy_isRecreatedFromTheConfigMapWatch() {
        String uid = copy(apps).getMetadata().getUid();

        client.configMaps().inNamespace(apps).withName(RootConfigMaps.NAME).delete();

        awaitPublished(first, apps);
        assertThat(copy(apps).getMetadata().getUid()).isNotEqualTo(uid);
    }

    @Test
    void bundleUpdate_reachesEveryNamespace_includingOneCreatedAfterStart() {
        String late = "late-" + run;
        createNamespace(late);
        awaitPublished(first, late);
        TrustBundle rotated = bundle("second").merge(first);

        publisher.update(rotated);

        awaitPublished(rotated, caNs, apps, late);
    }
}
