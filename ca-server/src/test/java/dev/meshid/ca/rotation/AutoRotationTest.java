package dev.meshid.ca.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.ca.bundle.AgentView;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.RootSpec;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The self-signed root's automatic rotation, decided by {@link AutoRotationPolicy} on a fake clock. */
class AutoRotationTest {
    static final Duration MAX_TTL = Duration.ofHours(1);
    static final Duration VALIDITY = Duration.ofDays(10);
    final FakeClock clock = FakeClock.at("2026-03-01T00:00:00Z");
    final Instant since = clock.instant();
    final CertificateIssuer issuer = new CertificateIssuer(clock, new SecureRandom());
    final AutoRotationPolicy policy = new AutoRotationPolicy(0.2, Duration.ofHours(2));
    final SelfSignedRotation rotation = new SelfSignedRotation(issuer, "O=cluster.local", VALIDITY, KeyAlgorithm.EC_P256);
    final Map<String, Instant> issued = new HashMap<>();

    SelfSignedRotation.State first() throws Exception {
        KeyPair kp = Keys.generate(KeyAlgorithm.EC_P256);
        X509Certificate root = issuer.selfSignedRoot(new RootSpec("O=cluster.local", VALIDITY, null), kp);
        return new SelfSignedRotation.State(new KeyCertBundle(new CaSigner(root, kp.getPrivate()), List.of(),
                new TrustBundle(List.of(root))), Optional.empty());
    }

    RotationReport report(SelfSignedRotation.State s, List<AgentView> agents) {
        return new RotationReport(RotationModel.evaluate(s.material(), issued, since, MAX_TTL, clock.instant()),
                Optional.of("v"), agents.size(), 0, agents);
    }

    AutoRotationPolicy.Action decide(SelfSignedRotation.State s, List<AgentView> agents) {
        return policy.decide(report(s, agents), clock.instant());
    }

    static AgentView agent(Set<String> roots) {
        return new AgentView(1, "spiffe://cluster.local/ns/istio-system/sa/agent", "10.0.0.1:1", Optional.of("v"),
                roots, false, Optional.empty());
    }

    X509Certificate leaf(SelfSignedRotation.State s) throws Exception {
        X509Certificate leaf = issuer.svid(SvidSpec.of(SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b"), MAX_TTL),
                Keys.generate(KeyAlgorithm.EC_P256).getPublic(), s.material().signer());
        issued.merge(Certs.fingerprint(s.material().root()), leaf.getNotAfter().toInstant(),
                (a, b) -> a.isAfter(b) ? a : b);
        return leaf;
    }

    @Test
    void wholeCycle_addsARootSwitchesOnceAgentsAckedAndDropsTheOldRootWhenNoLeafNeedsIt() throws Exception {
        SelfSignedRotation.State s = first();
        X509Certificate oldRoot = s.material().root();
        long life = Duration.between(oldRoot.getNotBefore().toInstant(), oldRoot.getNotAfter().toInstant()).toSeconds();
        Instant addAt = oldRoot.getNotAfter().toInstant().minusSeconds((long) Math.floor(life * 0.2));

        assertThat(decide(s, List.of())).isEqualTo(new AutoRotationPolicy.Hold(addAt,
                "the root has more than 0.2 of its life left"));

        clock.setInstant(addAt);
        s = rotation.apply(s, decide(s, List.of()));
        assertThat(report(s, List.of()).state().step()).isEqualTo(RotationStep.NEW_ROOT_ADDED);
        assertThat(s.material().root()).isEqualTo(oldRoot);
        X509Certificate newRoot = s.next().orElseThrow().certificate();
        assertThat(newRoot.getPublicKey()).isNotEqualTo(oldRoot.getPublicKey());
        X509Certificate oldLeaf = leaf(s);

        AgentView late = agent(Set.of(Certs.fingerprint(oldRoot)));
        assertThat(decide(s, List.of(late))).isInstanceOf(AutoRotationPolicy.Hold.class);
        AgentView acked = agent(Set.of(Certs.fingerprint(oldRoot), Certs.fingerprint(newRoot)));
        AutoRotationPolicy.Action sw = decide(s, List.of(acked));
        assertThat(sw).isEqualTo(new AutoRotationPolicy.SwitchSigner(Certs.fingerprint(newRoot),
                "every connected agent (1) acked a bundle holding the new root"));

        s = rotation.apply(s, sw);
        assertThat(report(s, List.of()).state().step()).isEqualTo(RotationStep.SIGNER_SWITCHED);
        X509Certificate newLeaf = leaf(s);
        List<X509Certificate> bundle = s.material().roots().roots();
        String[] at = OpenSsl.atTime(clock.instant());
        OpenSsl.Result oldOk = OpenSsl.verify(bundle, List.of(), oldLeaf, at);
        assertThat(oldOk.ok()).as("old leaf against the union: %s", oldOk.output()).isTrue();
        assertThat(OpenSsl.verify(bundle, List.of(), newLeaf, at).ok()).as("new leaf against the union").isTrue();
        assertThat(OpenSsl.verify(List.of(newRoot), List.of(), newLeaf, at).ok()).isTrue();
        assertThat(OpenSsl.verify(List.of(newRoot), List.of(), oldLeaf, at).ok()).isFalse();

        Instant oldLeafEnd = oldLeaf.getNotAfter().toInstant();
        AutoRotationPolicy.Action wait = decide(s, List.of());
        assertThat(wait).isInstanceOf(AutoRotationPolicy.Hold.class);
        assertThat(((AutoRotationPolicy.Hold) wait).until()).isEqualTo(oldLeafEnd);

        clock.setInstant(oldLeafEnd);
        s = rotation.apply(s, decide(s, List.of()));
        assertThat(s.material().roots().roots()).containsExactly(newRoot);
        assertThat(report(s, List.of()).state().step()).isEqualTo(RotationStep.NONE);
        assertThat(decide(s, List.of())).isInstanceOf(AutoRotationPolicy.Hold.class);
    }

    @Test
    void agentsNeverAck_switchHappensWhenTheGracePeriodEnds() throws Exception {
        SelfSignedRotation.State s = first();
        clock.advance(VALIDITY.multipliedBy(9).dividedBy(10));
        s = rotation.apply(s, decide(s, List.of()));
        AgentView late = agent(Set.of(Certs.fingerprint(s.material().root())));
        Instant graceEnd = s.next().orElseThrow().certificate().getNotBefore().toInstant().plus(Duration.ofHours(2));

        assertThat(decide(s, List.of(late))).isEqualTo(new AutoRotationPolicy.Hold(graceEnd,
                "1 agent(s) have not acked the new root"));
        clock.setInstant(graceEnd);
        AutoRotationPolicy.Action sw = decide(s, List.of(late));

        assertThat(sw).isInstanceOf(AutoRotationPolicy.SwitchSigner.class);
        assertThat(((AutoRotationPolicy.SwitchSigner) sw).why()).contains("grace period ended").contains("1 agent(s)");
    }

    @Test
    void switchWithoutTheNextKey_isRefused() throws Exception {
        SelfSignedRotation.State s = first();
        assertThatThrownBy(() -> rotation.apply(s, new AutoRotationPolicy.SwitchSigner("ab".repeat(32), "test")))
                .hasMessageContaining("is not held");
    }

    @Test
    void policy_fractionOutsideZeroToOne_isRefused() {
        assertThatThrownBy(() -> new AutoRotationPolicy(1.0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }

    @Test
    void decide_newRootAddedAndNoAgentConnected_waitsForTheGracePeriodInsteadOfSwitching() throws Exception {
        SelfSignedRotation.State s = first();
        clock.advance(VALIDITY.multipliedBy(9).dividedBy(10));
        s = rotation.apply(s, decide(s, List.of()));
        Instant graceEnd = s.next().orElseThrow().certificate().getNotBefore().toInstant().plus(Duration.ofHours(2));

        assertThat(decide(s, List.of())).isEqualTo(new AutoRotationPolicy.Hold(graceEnd,
                "no agent is connected to ack the new root"));
        clock.advance(Duration.ofHours(2));
        assertThat(decide(s, List.of())).isInstanceOf(AutoRotationPolicy.SwitchSigner.class);
    }
}
