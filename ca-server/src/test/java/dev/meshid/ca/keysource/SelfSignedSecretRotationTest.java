package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.bundle.AgentView;
import dev.meshid.ca.rotation.AutoRotationPolicy;
import dev.meshid.ca.signing.IssuedLedger;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas sharing {@code istio-ca-secret} rotate its self-signed root once, together. */
@EnableKubernetesMockClient(crud = true)
class SelfSignedSecretRotationTest {
    static final String NS = "istio-system";
    static final Duration CHECK = Duration.ofHours(1);

    KubernetesClient client;
    final FakeClock clock = FakeClock.at("2026-03-01T00:00:00Z");
    final ManualScheduler scheduler = new ManualScheduler(clock);
    SelfSignedKeySource a;
    SelfSignedKeySource b;

    SelfSignedKeySource replica(List<AgentView> agents, RecordingListener listener) {
        SelfSignedOptions options = SelfSignedOptions.defaults(TrustDomain.parse("cluster.local"))
                .withValidity(Duration.ofDays(10)).withCheckInterval(CHECK);
        SelfSignedKeySource s = new SelfSignedKeySource(SecretRootStore.istioCaSecret(client, NS), options, clock,
                scheduler, Optional.of(new AutoRotation(new AutoRotationPolicy(0.2, Duration.ofHours(6)),
                () -> agents, new IssuedLedger(clock.instant()), Duration.ofHours(1))));
        s.start(listener);
        return s;
    }

    static List<AgentView> acked(List<X509Certificate> roots) {
        return List.of(new AgentView(1, "spiffe://cluster.local/ns/istio-system/sa/agent", "127.0.0.1:1",
                Optional.of("v"), roots.stream().map(Certs::fingerprint).collect(Collectors.toSet()), true,
                Optional.empty()));
    }

    @AfterEach
    void close() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void replicas_shareOneNextRoot_inTheSecret_andBothSwitchWhenOnesAgentsAcked() throws Exception {
        RecordingListener la = new RecordingListener();
        a = replica(List.of(), la);
        scheduler.runDue();
        X509Certificate oldRoot = la.last().root();
        clock.advance(Duration.ofDays(8).minus(CHECK));
        scheduler.advance(CHECK);
        List<X509Certificate> both = la.last().roots().roots();
        assertThat(both).hasSize(2);
        Map<String, String> stored = SecretRootStore.istioCaSecret(client, NS).read().orElseThrow();
        assertThat(stored).containsKeys("next-ca-cert.pem", "next-ca-key.pem", "ca-cert.pem", "root-cert.pem");

        RecordingListener lb = new RecordingListener();
        b = replica(acked(both), lb);
        scheduler.runDue();
        X509Certificate newRoot = both.stream().filter(r -> !r.equals(oldRoot)).findFirst().orElseThrow();
        assertThat(lb.last().roots().roots()).containsExactlyInAnyOrderElementsOf(both);
        // b's agent acked a's next root, so b's first check switches to it rather than making another one.
        assertThat(lb.last().signer().certificate()).isEqualTo(newRoot);
        assertThat(la.last().signer().certificate()).isEqualTo(oldRoot);
        scheduler.advance(CHECK);

        assertThat(la.last().signer().certificate()).as("a follows the stored switch").isEqualTo(newRoot);
        assertThat(la.last().roots().roots()).containsExactlyInAnyOrderElementsOf(both);
        assertThat(SecretRootStore.istioCaSecret(client, NS).read().orElseThrow()).doesNotContainKey("next-ca-cert.pem");
        assertThat(la.rejections).isEmpty();
        assertThat(lb.rejections).isEmpty();
    }
}
