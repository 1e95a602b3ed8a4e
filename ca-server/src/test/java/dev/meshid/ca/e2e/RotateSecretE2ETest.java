package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.keysource.SecretData;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshid ca rotate --secret NS/NAME --kubeconfig FILE} against the forked mock API server, with a CA
 * that reads the same secret: the CA follows add-root and switch, and remove-root is refused while leaves may
 * still depend on the old root.
 */
class RotateSecretE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void rotateOnTheSecret_caFollowsEachStep() throws Exception {
        TestPki.Issued root1 = TestPki.root("Root One").validFor(Duration.ofDays(365)).build();
        TestPki.Issued signing1 = root1.intermediate("Signing One").validFor(Duration.ofDays(200)).build();
        TestPki.Issued root2 = TestPki.root("Root Two").validFor(Duration.ofDays(730)).build();
        TestPki.Issued signing2 = root2.intermediate("Signing Two").validFor(Duration.ofDays(200)).build();
        Tokens tokens = new Tokens("key-1");
        try (ForkedKubernetesMockServer api = ForkedKubernetesMockServer.start();
             KubernetesClient admin = api.newClient()) {
            admin.secrets().inNamespace("istio-system").resource(new SecretBuilder().withNewMetadata()
                    .withName("cacerts").withNamespace("istio-system").endMetadata()
                    .withData(SecretData.encode(new KeyCertBundle(signing1.signer(), List.of(),
                            new TrustBundle(List.of(root1.cert()))).toPluginFiles())).build()).create();
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig(api.url()));
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
            flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
            flags.put(Setting.K8S_CACERTS_SECRET, "istio-system/cacerts");
            flags.put(Setting.TOKENREVIEW, "false");
            flags.put(Setting.PUBLISH_ROOT_CONFIGMAP, "false");
            flags.put(Setting.JWKS_FILE, Files.writeString(dir.resolve("jwks.json"), tokens.jwks()).toString());
            flags.put(Setting.JWT_ISSUER, Tokens.ISSUER);
            try (CaServer ca = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of())
                    .kubernetes(api.newClient()).build().start()) {
                await().atMost(WAIT).until(() -> ca.signer().ready());
                String http = "127.0.0.1:" + ca.httpPort();
                String[] secret = {"--secret", "istio-system/cacerts", "--kubeconfig", kubeconfig.toString()};
                Path newRoot = Files.writeString(dir.resolve("root2.pem"), Pem.write(root2.cert()));
                Path newDir = dir.resolve("new");
                new KeyCertBundle(signing2.signer(), List.of(), new TrustBundle(List.of(root2.cert())))
                        .writePluginFiles(newDir);

                RotateCommandE2ETest.Run add = rotate(secret, "add-root", "--new-root", newRoot.toString());
                assertThat(add.code()).as(add.err()).isZero();
                await().atMost(WAIT).until(() -> ca.bundleWatchers().current().orElseThrow()
                        .contains(Certs.fingerprint(root2.cert())));

                RotateCommandE2ETest.Run sw = rotate(secret, "switch", "--from", newDir.toString(), "--ca-http", http);
                assertThat(sw.code()).as(sw.err()).isZero();
                await().atMost(WAIT).until(() -> ca.signer().active().orElseThrow().bundle().signer().certificate()
                        .equals(signing2.cert()));
                assertThat(ca.signer().active().orElseThrow().bundle().roots().roots())
                        .containsExactlyInAnyOrder(root1.cert(), root2.cert());

                RotateCommandE2ETest.Run remove = rotate(secret, "remove-root", "--fingerprint",
                        Certs.fingerprint(root1.cert()), "--ca-http", http);
                assertThat(remove.code()).isEqualTo(1);
                assertThat(remove.err()).contains("may be valid until");
                assertThat(ca.rotation().report().orElseThrow().state().step().label()).isEqualTo("signer-switched");
            }
        }
    }

    private static RotateCommandE2ETest.Run rotate(String[] where, String step, String... args) {
        String[] all = new String[1 + where.length + args.length];
        all[0] = step;
        System.arraycopy(where, 0, all, 1, where.length);
        System.arraycopy(args, 0, all, 1 + where.length, args.length);
        return RotateCommandE2ETest.rotate(all);
    }

    private static String kubeconfig(String url) {
        return String.join("\n", "apiVersion: v1", "kind: Config", "clusters:", "- name: mock", "  cluster:",
                "    server: " + url, "    insecure-skip-tls-verify: true", "users:", "- name: test", "  user: {}",
                "contexts:", "- name: mock", "  context:", "    cluster: mock", "    user: test",
                "    namespace: istio-system", "current-context: mock", "");
    }
}
