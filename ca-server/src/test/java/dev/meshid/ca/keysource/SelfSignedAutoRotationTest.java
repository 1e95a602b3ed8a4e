package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.bundle.AgentView;
import dev.meshid.ca.rotation.AutoRotationPolicy;
import dev.meshid.ca.signing.IssuedLedger;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SelfSignedKeySource} rotating its root to a new key on a fake clock and a directory store: leaves
 * issued before, during and after are checked with openssl against the bundle an agent holds at that time.
 */
class SelfSignedAutoRotationTest {
    static final Duration VALIDITY = Duration.ofDays(10);
    static final Duration CHECK = Duration.ofHours(1);
    static final Duration MAX_TTL = Duration.ofHours(4);
    static final Duration GRACE = Duration.ofHours(6);
    static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");

    @TempDir
    Path dir;
    final FakeClock clock = FakeClock.at("2026-03-01T00:00:00Z");
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final CertificateIssuer issuer = new CertificateIssuer(clock, new SecureRandom());
    final List<AgentView> agents = new CopyOnWriteArrayList<>();
    IssuedLedger ledger = new IssuedLedger(clock.instant());
    SelfSignedKeySource source;
    RecordingListener listener;

    SelfSignedKeySource newSource() {
        SelfSignedOptions options = SelfSignedOptions.defaults(TrustDomain.parse("cluster.local"))
                .withValidity(VALIDITY).withCheckInterval(CHECK);
        return new SelfSignedKeySource(new DirRootStore(dir, RootLayout.MESHID), options, clock, scheduler,
                Optional.of(new AutoRotation(new AutoRotationPolicy(0.2, GRACE), () -> List.copyOf(agents), ledger,
                        MAX_TTL)));
    }

    void start() {
        source = newSource();
        listener = new RecordingListener();
        source.start(listener);
        scheduler.runDue();
    }

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    /** An agent that applied a bundle holding {@code roots}. */
    void agentHolds(List<X509Certificate> roots) {
        agents.clear();
        agents.add(new AgentView(1, "spiffe://cluster.local/ns/istio-system/sa/agent", "127.0.0.1:1",
                Optional.of("v"), roots.stream().map(Certs::fingerprint).collect(Collectors.toSet()), true,
                Optional.empty()));
    }

    X509Certificate leaf() throws Exception {
        KeyCertBundle b = listener.last();
        X509Certificate leaf = issuer.svid(SvidSpec.of(ID, MAX_TTL), Keys.generate(KeyAlgorithm.EC_P256).getPublic(),
                b.signer());
        ledger.record(Certs.fingerprint(b.root()), leaf.getNotAfter().toInstant());
        return leaf;
    }

    OpenSsl.Result verify(List<X509Certificate> held, X509Certificate leaf) {
        return OpenSsl.verify(held, List.of(), leaf, OpenSsl.atTime(clock.instant()));
    }

    Instant addAt(X509Certificate root) {
        long life = Duration.between(root.getNotBefore().toInstant(), root.getNotAfter().toInstant()).toSeconds();
        return root.getNotAfter().toInstant().minusSeconds((long) Math.floor(life * 0.2));
    }

    void advanceTo(Instant t) {
        while (clock.instant().isBefore(t)) {
            scheduler.advance(CHECK);
        }
    }

    @Test
    void rotation_addsANewKeyedRoot_switchesOnAcks_dropsTheOldRoot_andEveryLeafVerifiesForItsAgent() throws Exception {
        start();
        X509Certificate oldRoot = listener.last().root();
        agentHolds(List.of(oldRoot));
        X509Certificate before = leaf();
        assertThat(verify(List.of(oldRoot), before).ok()).isTrue();

        advanceTo(addAt(oldRoot).minus(CHECK));
        assertThat(listener.last().roots().roots()).containsExactly(oldRoot);
        advanceTo(addAt(oldRoot).plus(CHECK));

        KeyCertBundle added = listener.last();
        assertThat(added.roots().roots()).hasSize(2).contains(oldRoot);
        assertThat(added.signer().certificate()).isEqualTo(oldRoot);
        X509Certificate newRoot = added.roots().roots().stream().filter(r -> !r.equals(oldRoot)).findFirst().orElseThrow();
        assertThat(newRoot.getPublicKey()).isNotEqualTo(oldRoot.getPublicKey());
        assertThat(Files.exists(dir.resolve("next-root-key.pem"))).isTrue();
        // The agent has not acked the new root: signing stays on the old one, and its leaves verify for it.
        scheduler.advance(CHECK);
        assertThat(listener.last().signer().certificate()).isEqualTo(oldRoot);
        X509Certificate during = leaf();
        assertThat(verify(List.of(oldRoot), during).ok()).isTrue();

        agentHolds(added.roots().roots());
        scheduler.advance(CHECK);

        assertThat(listener.last().signer().certificate()).isEqualTo(newRoot);
        assertThat(listener.last().roots().roots()).containsExactlyInAnyOrder(oldRoot, newRoot);
        assertThat(Files.exists(dir.resolve("next-root-key.pem"))).isFalse();
        X509Certificate after = leaf();
        assertThat(verify(added.roots().roots(), after).ok()).isTrue();
        assertThat(verify(added.roots().roots(), during).ok()).isTrue();
        assertThat(verify(List.of(oldRoot), after).ok()).as("the old root alone does not verify new leaves").isFalse();

        Instant duringExpires = during.getNotAfter().toInstant();
        scheduler.advance(CHECK);
        assertThat(listener.last().roots().roots()).as("a leaf under the old root is still valid").hasSize(2);
        advanceTo(duringExpires.plus(MAX_TTL).plus(CHECK));

        assertThat(listener.last().roots().roots()).containsExactly(newRoot);
        agentHolds(List.of(newRoot));
        X509Certificate later = leaf();
        assertThat(verify(List.of(newRoot), later).ok()).isTrue();
        assertThat(listener.rejections).isEmpty();
    }

    @Test
    void rotation_agentNeverAcks_switchesWhenTheGracePeriodEnds() throws Exception {
        start();
        X509Certificate oldRoot = listener.last().root();
        agentHolds(List.of(oldRoot));
        advanceTo(addAt(oldRoot).plus(CHECK));
        X509Certificate newRoot = listener.last().roots().roots().stream().filter(r -> !r.equals(oldRoot))
                .findFirst().orElseThrow();

        advanceTo(newRoot.getNotBefore().toInstant().plus(GRACE).minus(CHECK));
        assertThat(listener.last().signer().certificate()).isEqualTo(oldRoot);
        advanceTo(newRoot.getNotBefore().toInstant().plus(GRACE).plus(CHECK));

        assertThat(listener.last().signer().certificate()).isEqualTo(newRoot);
    }

    @Test
    void restart_midRotation_continuesWithTheStoredNextRoot_ratherThanMakingAnother() throws Exception {
        start();
        X509Certificate oldRoot = listener.last().root();
        agentHolds(List.of(oldRoot));
        advanceTo(addAt(oldRoot).plus(CHECK));
        List<X509Certificate> pending = listener.last().roots().roots();
        X509Certificate during = leaf();
        source.close();

        ledger = new IssuedLedger(clock.instant());
        start();

        assertThat(listener.last().roots().roots()).containsExactlyElementsOf(pending);
        assertThat(listener.last().signer().certificate()).isEqualTo(oldRoot);
        agentHolds(pending);
        scheduler.advance(CHECK);
        X509Certificate newRoot = pending.stream().filter(r -> !r.equals(oldRoot)).findFirst().orElseThrow();
        assertThat(listener.last().signer().certificate()).isEqualTo(newRoot);
        X509Certificate after = leaf();
        assertThat(verify(pending, after).ok()).isTrue();
        assertThat(verify(pending, during).ok()).isTrue();
        assertThat(Set.copyOf(listener.last().roots().roots())).isEqualTo(Set.copyOf(pending));
    }
}
