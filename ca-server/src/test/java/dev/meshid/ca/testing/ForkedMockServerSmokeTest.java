package dev.meshid.ca.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Watches against the forked mock API server work on this module's Vert.x 5 classpath, where the
 * in-process {@code KubernetesMockServer} cannot upgrade a watch to a WebSocket.
 */
class ForkedMockServerSmokeTest {

    @Test
    void informer_onSecrets_seesAnUpdateDespiteVertx5OnTheClasspath() {
        // The reason for the fork: Vert.x 5's ServerWebSocket has no accept(), which the in-process mock calls.
        assertThat(Arrays.stream(ServerWebSocket.class.getMethods()).map(m -> m.getName())).doesNotContain("accept");

        try (ForkedKubernetesMockServer server = ForkedKubernetesMockServer.start();
                KubernetesClient client = server.newClient()) {
            client.secrets().inNamespace("test").resource(secret("v1")).create();
            List<String> updates = new CopyOnWriteArrayList<>();
            SharedIndexInformer<Secret> informer = client.secrets().inNamespace("test")
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(Secret secret) {
                        }

                        @Override
                        public void onUpdate(Secret before, Secret after) {
                            updates.add(after.getStringData().get("key"));
                        }

                        @Override
                        public void onDelete(Secret secret, boolean finalStateUnknown) {
                        }
                    });
            try {
                await().atMost(Duration.ofSeconds(15)).until(informer::hasSynced);
                assertThat(informer.getStore().getByKey("test/cacerts")).isNotNull();

                client.secrets().inNamespace("test").resource(secret("v2")).update();

                await().atMost(Duration.ofSeconds(15)).until(() -> updates.contains("v2"));
                assertThat(informer.getStore().getByKey("test/cacerts").getStringData()).containsEntry("key", "v2");
            } finally {
                informer.close();
            }
        }
    }

    private static Secret secret(String value) {
        return new SecretBuilder().withNewMetadata().withName("cacerts").endMetadata()
                .withStringData(Map.of("key", value)).build();
    }
}
