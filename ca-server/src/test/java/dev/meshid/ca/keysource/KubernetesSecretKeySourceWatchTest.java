package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
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
 * The informer path of {@link KubernetesSecretKeySource}, against fabric8's mock API server in a child JVM
 * (whose watches work, unlike the in-process one's on this classpath). The resync period is an hour and
 * the scheduler is real, so after the first read only a watch event can make the source read the secret.
 */
class KubernetesSecretKeySourceWatchTest {
    private static final Duration RESYNC = Duration.ofHours(1);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static ForkedKubernetesMockServer server;
    private static KubernetesClient client;

    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final String namespace = "ca-" + NAMESPACES.incrementAndGet();
    private final KeyCertBundle first = TestCas.pluginCa(clock, "first");
    private final RecordingListener listener = new RecordingListener();
    private ScheduledExecutorService scheduler;
    private KubernetesSecretKeySource source;

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
    void startSource() {
        writeSecret(first.toPluginFiles());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        source = new KubernetesSecretKeySource(client, new KubernetesSecretOptions(namespace, "cacerts", RESYNC),
                clock, scheduler);
        source.start(listener);
        waiting().until(() -> listener.bundles.size() == 1);
    }

    @AfterEach
    void stopSource() {
        source.close();
        scheduler.shutdownNow();
    }

    private static ConditionFactory waiting() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }

    private void writeSecret(Map<String, String> files) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("cacerts")
                .withNamespace(namespace).endMetadata().withData(SecretData.encode(files)).build())
                .createOr(c -> c.update());
    }

    @Test
    void changedSecret_isDeliveredByTheWatch_longBeforeTheResync() {
        KeyCertBundle second = TestCas.pluginCa(clock, "second");

        writeSecret(second.toPluginFiles());

        waiting().until(() -> listener.bundles.size() == 2);
        assertThat(listener.bundles.get(0).signer().certificate()).isEqualTo(first.signer().certificate());
        assertThat(listener.last().signer().certificate()).isEqualTo(second.signer().certificate());
        assertThat(listener.rejections).isEmpty();
    }

    @Test
    void invalidChange_isRejectedByTheWatch_andTheOldBundleKept() {
        writeSecret(TestCas.withForeignKey(first.toPluginFiles()));

        waiting().until(() -> listener.rejections.size() == 1);
        assertThat(listener.rejections.get(0)).contains(namespace + "/cacerts")
                .contains("ca-key.pem does not match ca-cert.pem");
        assertThat(listener.bundles).hasSize(1);
        assertThat(source.rejectedCount()).isEqualTo(1);

        // Still watching: the next valid secret arrives without a resync.
        KeyCertBundle fixed = TestCas.pluginCa(clock, "fixed");
        writeSecret(fixed.toPluginFiles());
        waiting().until(() -> listener.bundles.size() == 2);
        assertThat(listener.last().signer().certificate()).isEqualTo(fixed.signer().certificate());
    }

    @Test
    void deletedSecret_isReportedByTheWatch_andARecreatedOneLoaded() {
        client.secrets().inNamespace(namespace).withName("cacerts").delete();

        waiting().until(() -> listener.rejections.size() == 1);
        assertThat(listener.rejections.get(0)).contains("does not exist");
        assertThat(listener.bundles).hasSize(1);

        KeyCertBundle recreated = TestCas.pluginCa(clock, "recreated");
        writeSecret(recreated.toPluginFiles());
        waiting().until(() -> listener.bundles.size() == 2);
        assertThat(listener.last().signer().certificate()).isEqualTo(recreated.signer().certificate());
    }
}
