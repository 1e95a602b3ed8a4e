package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.testing.k8s.ForkedKubernetesMockServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --k8s-cacerts-secret istio-system/cacerts} through the whole CA, against the forked mock API server
 * (watches work there): the CA becomes ready from the secret alone and follows its updates without a restart.
 */
class KubernetesSecretE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private ForkedKubernetesMockServer apiServer;
    private KubernetesClient admin;
    private final Tokens tokens = new Tokens("key-1");
    private final TestPki.Issued root1 = TestPki.root("Root One").key(KeyAlgorithm.EC_P256).validFor(Duration.ofDays(365)).build();
    private final TestPki.Issued root2 = TestPki.root("Root Two").key(KeyAlgorithm.EC_P256).validFor(Duration.ofDays(365)).build();
    private CaServer ca;
    private ManagedChannel channel;

    @BeforeEach
    void start() {
        apiServer = ForkedKubernetesMockServer.start();
        admin = apiServer.newClient();
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (ca != null) {
            ca.close();
        }
        admin.close();
        apiServer.close();
    }

    private static Secret secret(Map<String, String> files) {
        Map<String, String> data = new HashMap<>();
        files.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
        return new SecretBuilder().withNewMetadata().withName("cacerts").withNamespace("istio-system").endMetadata()
                .withData(data).build();
    }

    private void startCa() throws Exception {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.K8S_CACERTS_SECRET, "istio-system/cacerts");
        flags.put(Setting.TOKENREVIEW, "false");
        flags.put(Setting.PUBLISH_ROOT_CONFIGMAP, "false");
        flags.put(Setting.JWKS_FILE, Files.writeString(dir.resolve("jwks.json"), tokens.jwks()).toString());
        flags.put(Setting.JWT_ISSUER, Tokens.ISSUER);
        ca = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of()).kubernetes(apiServer.newClient())
                .build().start();
    }

    private IstioCertificateResponse issue() throws Exception {
        if (channel == null) {
            InetSocketAddress address = ca.grpcAddress().get(60, TimeUnit.SECONDS);
            String trusted = Pem.write(List.of(root1.cert(), root2.cert()));
            channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
                    TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                            trusted.getBytes(StandardCharsets.US_ASCII))).build())
                    .overrideAuthority(CaFixture.AUTHORITY).build();
        }
        return IstioCertificateServiceGrpc.newBlockingStub(channel).withInterceptors(io.grpc.stub.MetadataUtils
                .newAttachHeadersInterceptor(CaFixture.bearer(tokens.token("default", "web"))))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "web")).build());
    }

    private int ready() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ca.httpPort()
                + "/healthz/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static X509Certificate leaf(IstioCertificateResponse r) throws Exception {
        return Pem.readCertificates(r.getCertChain(0)).get(0);
    }

    @Test
    void secretSource_createdUpdatedAndBrokenSecret_signsWithTheLatestValidMaterial() throws Exception {
        TestPki.Issued signing1 = root1.intermediate("Signing One").validFor(Duration.ofDays(200)).build();
        admin.secrets().inNamespace("istio-system").resource(secret(new KeyCertBundle(signing1.signer(), List.of(),
                new TrustBundle(List.of(root1.cert()))).toPluginFiles())).create();

        startCa();

        await().atMost(WAIT).until(() -> ready() == 200);
        IstioCertificateResponse first = issue();
        ChainChecks.check(first.getCertChainList(), List.of(root1.cert()), CaFixture.id("default", "web"));

        // A new intermediate under a new root; the bundle keeps the old root trusted during the rotation.
        TestPki.Issued signing2 = root2.intermediate("Signing Two").validFor(Duration.ofDays(200)).build();
        admin.secrets().inNamespace("istio-system").resource(secret(new KeyCertBundle(signing2.signer(), List.of(),
                new TrustBundle(List.of(root2.cert(), root1.cert()))).toPluginFiles())).update();

        await().atMost(WAIT).until(() -> ca.signer().active().orElseThrow().bundle().signer().certificate()
                .equals(signing2.cert()));
        IstioCertificateResponse second = issue();
        ChainChecks.check(second.getCertChainList(), List.of(root2.cert(), root1.cert()), CaFixture.id("default", "web"));
        leaf(second).verify(signing2.cert().getPublicKey());

        // A key that does not belong to the certificate: refused, the CA keeps signing with signing2.
        TestPki.Issued signing3 = root2.intermediate("Signing Three").validFor(Duration.ofDays(200)).build();
        Map<String, String> broken = new HashMap<>(new KeyCertBundle(signing3.signer(), List.of(),
                new TrustBundle(List.of(root2.cert()))).toPluginFiles());
        broken.put("ca-key.pem", Pem.writePrivateKey(Keys.generate(KeyAlgorithm.EC_P256).getPrivate()));
        long refusedBefore = ca.signer().rejectedCount();
        admin.secrets().inNamespace("istio-system").resource(secret(broken)).update();

        await().atMost(WAIT).until(() -> ca.signer().rejectedCount() > refusedBefore);
        IstioCertificateResponse third = issue();
        leaf(third).verify(signing2.cert().getPublicKey());
        ChainChecks.check(third.getCertChainList(), List.of(root2.cert(), root1.cert()), CaFixture.id("default", "web"));
        assertThat(ready()).isEqualTo(200);
    }
}
