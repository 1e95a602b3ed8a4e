package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.testing.FakeClock;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against fabric8's CRUD mock server. Its watches do not work with Vert.x 5 on the classpath
 * (fabric8io/kubernetes-client#7174), so these tests drive the source's periodic read with a manual
 * scheduler; informer events in a real cluster only make the same read happen sooner.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSecretKeySourceTest extends KeySourceContractTest {
    static final String NS = "istio-system";

    KubernetesClient client;
    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private KeyCertBundle initial;

    @BeforeEach
    void createSecret() {
        initial = TestCas.pluginCa(clock, "first");
        writeSecret(initial.toPluginFiles());
    }

    private void writeSecret(Map<String, String> files) {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("cacerts")
                .withNamespace(NS).endMetadata().withData(SecretData.encode(files)).build()).createOr(c -> c.update());
    }

    @Override
    protected KeySource newSource() {
        return new KubernetesSecretKeySource(client, KubernetesSecretOptions.defaults(NS), clock, scheduler);
    }

    @Override
    protected void changeToValid() {
        writeSecret(TestCas.pluginCa(clock, "second").toPluginFiles());
    }

    @Override
    protected void touchUnchanged() {
        client.secrets().inNamespace(NS).withName("cacerts")
                .edit(s -> new SecretBuilder(s).editMetadata().addToLabels("touched", "yes").endMetadata().build());
    }

    @Override
    protected void changeToInvalid() {
        writeSecret(TestCas.withForeignKey(initial.toPluginFiles()));
    }

    @Override
    protected String expectedRejection() {
        return "ca-key.pem does not match ca-cert.pem";
    }

    @Override
    protected void refresh() {
        scheduler.advance(KubernetesSecretOptions.DEFAULT_RESYNC);
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected String expectedNameFragment() {
        return "kubernetes-secret:istio-system/cacerts";
    }

    @Test
    void secretDeleted_keepsTheCurrentBundle_andReportsIt() throws Exception {
        RecordingListener l = startSource();
        awaitBundles(l, 1);

        client.secrets().inNamespace(NS).withName("cacerts").delete();
        refresh();
        refresh();

        assertThat(l.rejections.get(0)).contains("istio-system/cacerts").contains("does not exist");
        assertThat(l.bundles).hasSize(1);
        assertThat(((KubernetesSecretKeySource) lastStarted()).rejectedCount()).isEqualTo(1);
        // Recreated with the same content: still the current bundle, so nothing new is delivered ...
        writeSecret(initial.toPluginFiles());
        refresh();
        assertThat(l.bundles).hasSize(1);
        // ... and a later change proves the source is still watching.
        changeToValid();
        refresh();
        awaitBundles(l, 2);
        assertThat(l.rejections).hasSize(1);
    }

    @Test
    void secretCreatedAfterStart_isPickedUp() throws Exception {
        client.secrets().inNamespace(NS).withName("cacerts").delete();
        RecordingListener l = startSource();
        assertThat(l.rejections).singleElement().asString().contains("does not exist");

        writeSecret(initial.toPluginFiles());
        refresh();
        awaitBundles(l, 1);

        assertThat(l.last().signer().certificate()).isEqualTo(initial.signer().certificate());
    }

    @Test
    void kubernetesTlsFormSecret_isLoaded() throws Exception {
        Map<String, String> istio = initial.toPluginFiles();
        client.secrets().inNamespace(NS).withName("cacerts").delete();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("tls-ca")
                .withNamespace(NS).endMetadata().withType("kubernetes.io/tls").withData(SecretData.encode(Map.of(
                        "tls.crt", istio.get("cert-chain.pem"), "tls.key", istio.get("ca-key.pem"),
                        "ca.crt", istio.get("root-cert.pem")))).build()).create();
        KubernetesSecretKeySource s = new KubernetesSecretKeySource(client,
                KubernetesSecretOptions.defaults(NS).withName("tls-ca"), clock, scheduler);
        RecordingListener l = new RecordingListener();
        s.start(l);
        refresh();
        try {
            awaitBundles(l, 1);
        } finally {
            s.close();
        }

        assertThat(l.rejections).isEmpty();
        assertThat(l.last().signer().certificate()).isEqualTo(initial.signer().certificate());
    }
}
