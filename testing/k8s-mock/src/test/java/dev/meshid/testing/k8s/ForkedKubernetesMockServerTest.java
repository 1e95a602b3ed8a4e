package dev.meshid.testing.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ForkedKubernetesMockServerTest {

    private static final Duration DELIVERY = Duration.ofSeconds(15);

    @Test
    void start_createNamespaceAndSecret_readsThemBack() {
        try (ForkedKubernetesMockServer server = ForkedKubernetesMockServer.start();
                KubernetesClient client = server.newClient()) {
            assertThat(server.url()).matches("http://127\\.0\\.0\\.1:\\d+");

            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("istio-system")
                    .endMetadata().build()).create();
            client.secrets().inNamespace("istio-system").resource(secret("cacerts", "k", "v1")).create();

            assertThat(client.namespaces().withName("istio-system").get()).isNotNull();
            Secret stored = client.secrets().inNamespace("istio-system").withName("cacerts").get();
            assertThat(stored.getStringData()).containsEntry("k", "v1");
            assertThat(client.secrets().inNamespace("other").withName("cacerts").get()).isNull();
        }
    }

    @Test
    void watch_onConfigMaps_seesCreateAndDelete() {
        try (ForkedKubernetesMockServer server = ForkedKubernetesMockServer.start();
                KubernetesClient client = server.newClient()) {
            List<String> events = new CopyOnWriteArrayList<>();
            try (Watch watch = client.configMaps().inNamespace("test").watch(recorder(events))) {
                ConfigMap bundle = new ConfigMapBuilder().withNewMetadata().withName("istio-ca-root-cert")
                        .endMetadata().withData(Map.of("root-cert.pem", "pem")).build();
                client.configMaps().inNamespace("test").resource(bundle).create();
                await().atMost(DELIVERY).until(() -> events.contains("ADDED istio-ca-root-cert"));

                client.configMaps().inNamespace("test").withName("istio-ca-root-cert").delete();
                await().atMost(DELIVERY).until(() -> events.contains("DELETED istio-ca-root-cert"));
            }
            assertThat(events).containsSubsequence("ADDED istio-ca-root-cert", "DELETED istio-ca-root-cert");
        }
    }

    @Test
    void start_twice_serversAreIndependent() {
        try (ForkedKubernetesMockServer first = ForkedKubernetesMockServer.start();
                ForkedKubernetesMockServer second = ForkedKubernetesMockServer.start();
                KubernetesClient firstClient = first.newClient();
                KubernetesClient secondClient = second.newClient()) {
            assertThat(first.url()).isNotEqualTo(second.url());
            assertThat(first.pid()).isNotEqualTo(second.pid());

            firstClient.secrets().inNamespace("test").resource(secret("only-in-first", "k", "v")).create();

            assertThat(firstClient.secrets().inNamespace("test").withName("only-in-first").get()).isNotNull();
            assertThat(secondClient.secrets().inNamespace("test").withName("only-in-first").get()).isNull();
        }
    }

    @Test
    void close_running_childProcessIsGone() {
        ForkedKubernetesMockServer server = ForkedKubernetesMockServer.start();
        ProcessHandle child = ProcessHandle.of(server.pid()).orElseThrow();
        assertThat(child.isAlive()).isTrue();

        server.close();

        Optional<ProcessHandle> after = ProcessHandle.of(server.pid());
        assertThat(after.map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        server.close(); // a second close is harmless
    }

    @Test
    void child_stdinClosed_exitsOnItsOwn() throws Exception {
        // What happens when the parent JVM dies: the OS closes the child's stdin.
        Process child = new ProcessBuilder(ChildJvm.command())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).startsWith(MockApiServerMain.URL_LINE_PREFIX + "http://127.0.0.1:");

            child.getOutputStream().close();

            assertThat(child.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void start_logFile_recordsTheChildsStderr() {
        try (ForkedKubernetesMockServer server = ForkedKubernetesMockServer.start()) {
            String port = server.url().substring(server.url().lastIndexOf(':') + 1);
            await().atMost(DELIVERY).until(() -> ChildLog.tail(server.logFile()).contains("127.0.0.1:" + port));
        }
    }

    private static Secret secret(String name, String key, String value) {
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withStringData(Map.of(key, value)).build();
    }

    private static Watcher<ConfigMap> recorder(List<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add("CLOSED " + cause);
            }
        };
    }
}
