package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a Kubernetes client and no key source, every CA replica signs under one self-signed root kept in the
 * {@code istio-ca-secret} secret, as istiod does — not under a root of its own.
 */
class SelfSignedSecretE2ETest {

    private static Map<Setting, String> flags() {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.TOKENREVIEW, "false");
        flags.put(Setting.PUBLISH_ROOT_CONFIGMAP, "false");
        return flags;
    }

    @Test
    void twoReplicas_withoutKeySource_shareTheRootInIstioCaSecret() throws Exception {
        CaConfig config = ConfigLoader.load(flags(), Map.of());
        String namespace = config.namespace();
        try (ForkedKubernetesMockServer apiServer = ForkedKubernetesMockServer.start();
                KubernetesClient admin = apiServer.newClient();
                CaServer first = CaServer.builder(config).env(Map.of())
                        .kubernetes(apiServer.newClient()).build().start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> first.signer().ready());
            Secret secret = admin.secrets().inNamespace(namespace).withName("istio-ca-secret").get();
            assertThat(secret).as("istio-ca-secret created in " + namespace).isNotNull();

            try (CaServer second = CaServer.builder(ConfigLoader.load(flags(), Map.of())).env(Map.of())
                    .kubernetes(apiServer.newClient()).build().start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> second.signer().ready());
                assertThat(second.signer().active().orElseThrow().bundle().root())
                        .isEqualTo(first.signer().active().orElseThrow().bundle().root());
            }
        }
    }
}
