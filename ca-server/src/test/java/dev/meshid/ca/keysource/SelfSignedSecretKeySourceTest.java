package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SelfSignedSecretKeySourceTest extends KeySourceContractTest {
    static final String NS = "istio-system";

    KubernetesClient client;
    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    private SecretRootStore store() {
        return SecretRootStore.istioCaSecret(client, NS);
    }

    private Secret secret() {
        return client.secrets().inNamespace(NS).withName("istio-ca-secret").get();
    }

    @Override
    protected KeySource newSource() {
        return new SelfSignedKeySource(store(), SelfSignedDirKeySourceTest.OPTIONS, clock, scheduler);
    }

    @Override
    protected void changeToValid() throws Exception {
        TestPki.Issued other = TestPki.root("replaced").subject("O=cluster.local").at(clock)
                .validFor(Duration.ofDays(3650)).build();
        SecretRootStore s = store();
        s.replace(s.read().orElseThrow(), RootLayout.ISTIO.encode(other.key(), other.cert(), List.of()));
    }

    @Override
    protected void touchUnchanged() {
        client.secrets().inNamespace(NS).withName("istio-ca-secret")
                .edit(s -> new SecretBuilder(s).editMetadata().addToLabels("touched", "yes").endMetadata().build());
    }

    @Override
    protected void changeToInvalid() {
        String foreign = Pem.writePrivateKey(Keys.generate(KeyAlgorithm.EC_P256).getPrivate());
        client.secrets().inNamespace(NS).withName("istio-ca-secret").edit(s -> new SecretBuilder(s)
                .addToData("ca-key.pem", SecretData.encode(Map.of("k", foreign)).get("k")).build());
    }

    @Override
    protected String expectedRejection() {
        return "ca-key.pem does not match ca-cert.pem";
    }

    @Override
    protected void refresh() {
        scheduler.advance(SelfSignedDirKeySourceTest.CHECK);
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected String expectedNameFragment() {
        return "selfsigned:secret:istio-system/istio-ca-secret";
    }

    private RecordingListener started(KeySource s) {
        RecordingListener l = new RecordingListener();
        s.start(l);
        scheduler.runDue();
        return l;
    }

    @Test
    void firstStart_storesTheRootInIstioCaSecret_withIstiosKeys() throws Exception {
        KeyCertBundle b = started(newSource()).last();

        Secret s = secret();
        assertThat(s.getData()).containsOnlyKeys("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem");
        assertThat(s.getType()).isEqualTo("istio.io/ca-root");
        Map<String, String> files = SecretData.decode(s);
        assertThat(Pem.readCertificate(files.get("ca-cert.pem"))).isEqualTo(b.signer().certificate());
        assertThat(Pem.readCertificates(files.get("root-cert.pem"))).containsExactly(b.signer().certificate());
        assertThat(Keys.matches(Pem.readPrivateKey(files.get("ca-key.pem")), b.signer().certificate().getPublicKey()))
                .isTrue();
    }

    @Test
    void twoReplicas_signWithTheSameStoredKey() {
        KeyCertBundle first = started(newSource()).last();
        KeyCertBundle second = started(newSource()).last();

        assertThat(second.signer().certificate()).isEqualTo(first.signer().certificate());
        assertThat(second.signer().key()).isEqualTo(first.signer().key());
    }

    @Test
    void createIfAbsent_whenAnotherReplicaWon_returnsTheWinnersRoot() throws Exception {
        TestPki.Issued winner = TestPki.root("winner").subject("O=cluster.local").at(clock).build();
        TestPki.Issued loser = TestPki.root("loser").subject("O=cluster.local").at(clock).build();
        Map<String, String> winnerFiles = RootLayout.ISTIO.encode(winner.key(), winner.cert(), List.of());
        store().createIfAbsent(winnerFiles);

        Map<String, String> stored = store().createIfAbsent(RootLayout.ISTIO.encode(loser.key(), loser.cert(), List.of()));

        assertThat(stored).isEqualTo(winnerFiles);
        assertThat(SecretData.decode(secret())).isEqualTo(winnerFiles);
    }

    @Test
    void replace_whenTheSecretChangedSinceRead_keepsTheOtherWritersContent() throws Exception {
        KeyCertBundle b = started(newSource()).last();
        Map<String, String> read = store().read().orElseThrow();
        TestPki.Issued other = TestPki.root("other").subject("O=cluster.local").at(clock).build();
        Map<String, String> otherFiles = RootLayout.ISTIO.encode(other.key(), other.cert(), List.of());
        store().replace(read, otherFiles);

        Map<String, String> after = store().replace(read,
                RootLayout.ISTIO.encode(b.signer().key(), b.signer().certificate(), List.of()));

        assertThat(after).isEqualTo(otherFiles);
        assertThat(SecretData.decode(secret())).isEqualTo(otherFiles);
    }

    @Test
    void istioMadeSecret_withEmptyCertChain_isAdopted() {
        TestPki.Issued root = TestPki.root("istio").subject("O=cluster.local").at(clock).build();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("istio-ca-secret")
                .withNamespace(NS).endMetadata().withType("istio.io/ca-root").withData(SecretData.encode(Map.of(
                        "ca-cert.pem", Pem.write(root.cert()), "ca-key.pem", Pem.writePrivateKey(root.key()),
                        "cert-chain.pem", "", "key.pem", "", "root-cert.pem", Pem.write(root.cert()))))
                .build()).create();

        RecordingListener l = started(newSource());

        assertThat(l.rejections).isEmpty();
        assertThat(l.last().signer().certificate()).isEqualTo(root.cert());
    }
}
