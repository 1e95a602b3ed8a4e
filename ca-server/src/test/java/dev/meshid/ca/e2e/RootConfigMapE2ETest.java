package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --publish-root-configmap} through the whole CA, against the forked mock API server. */
class RootConfigMapE2ETest {
    @TempDir
    Path dir;

    private static String published(KubernetesClient client, String namespace) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName("istio-ca-root-cert").get();
        return cm == null || cm.getData() == null ? null : cm.getData().get("root-cert.pem");
    }

    @Test
    void publishRootConfigMap_existingAndNewNamespaces_getTheCasBundle() throws Exception {
        TestPki.Issued root = TestPki.root("Published Root").validFor(Duration.ofDays(365)).build();
        TestPki.Issued signing = root.intermediate("Signing").validFor(Duration.ofDays(200)).build();
        new KeyCertBundle(signing.signer(), List.of(), new TrustBundle(List.of(root.cert())))
                .writePluginFiles(dir.resolve("cacerts"));
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.CACERTS_DIR, dir.resolve("cacerts").toString());
        flags.put(Setting.TOKENREVIEW, "false");
        flags.put(Setting.PUBLISH_ROOT_CONFIGMAP, "true");

        try (ForkedKubernetesMockServer apiServer = ForkedKubernetesMockServer.start();
                KubernetesClient admin = apiServer.newClient()) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("existing").endMetadata()
                    .build()).create();
            try (CaServer ca = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of())
                    .kubernetes(apiServer.newClient()).build().start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> published(admin, "existing") != null);
                assertThat(Pem.readCertificates(published(admin, "existing"))).containsExactly(root.cert());

                admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fresh").endMetadata()
                        .build()).create();
                await().atMost(Duration.ofSeconds(60)).until(() -> published(admin, "fresh") != null);
                assertThat(Pem.readCertificates(published(admin, "fresh"))).containsExactly(root.cert());
                assertThat(admin.configMaps().inNamespace("fresh").withName("istio-ca-root-cert").get().getMetadata()
                        .getLabels()).containsEntry("istio.io/config", "true");
            }
        }
    }
}
