package dev.meshid.ca.rotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.ca.bundle.AgentView;
import dev.meshid.ca.rotation.RotationModel;
import dev.meshid.ca.rotation.RotationReport;
import dev.meshid.ca.rotation.TwoGenerations;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each step's result and each refusal with its message, on files in memory and a fake clock. */
class RotationStepsTest {
    static final Duration MAX_TTL = Duration.ofHours(1);
    final TwoGenerations g = new TwoGenerations();
    final Instant now = g.clock.instant();

    Map<String, String> files(KeyCertBundle b) {
        return b.toPluginFiles();
    }

    Map<String, String> newSigningDir() {
        Map<String, String> f = new java.util.HashMap<>(g.newOnly().toPluginFiles());
        f.remove("root-cert.pem");
        return f;
    }

    RotationReport report(KeyCertBundle b, Map<String, Instant> issued, Instant since, List<AgentView> agents) {
        return new RotationReport(RotationModel.evaluate(b, issued, since, MAX_TTL, now), Optional.of("v"),
                agents.size(), 0, agents);
    }

    AgentView agent(String id, Set<String> roots) {
        return new AgentView(1, id, "10.0.0.1:5000", Optional.of("v"), roots, false, Optional.empty());
    }

    @Test
    void addRoot_validNewRoot_writesTheUnionAndKeepsTheSigner() throws Exception {
        Map<String, String> next = RotationSteps.addRoot(files(g.oldOnly()), g.newRoot.cert(), now);

        assertThat(TrustBundle.fromPem(next.get("root-cert.pem")).roots()).containsExactly(g.oldRoot.cert(), g.newRoot.cert());
        assertThat(next.get("ca-cert.pem")).isEqualTo(files(g.oldOnly()).get("ca-cert.pem"));
        assertThat(next.get("ca-key.pem")).isEqualTo(files(g.oldOnly()).get("ca-key.pem"));
    }

    @Test
    void addRoot_notACa_isRefused() {
        TestPki.Issued leaf = g.newSigning.svid(SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b")).build();

        assertThatThrownBy(() -> RotationSteps.addRoot(files(g.oldOnly()), leaf.cert(), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("is not a CA certificate");
    }

    @Test
    void addRoot_intermediate_isRefusedAsNotSelfSigned() {
        assertThatThrownBy(() -> RotationSteps.addRoot(files(g.oldOnly()), g.newSigning.cert(), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("is not self-signed")
                .hasMessageContaining("pass the root itself");
    }

    @Test
    void addRoot_expiredRoot_isRefused() {
        FakeClock past = FakeClock.at(now.minus(Duration.ofDays(30)));
        TestPki.Issued expired = TestPki.root("Expired").at(past).validFor(Duration.ofDays(10)).build();

        assertThatThrownBy(() -> RotationSteps.addRoot(files(g.oldOnly()), expired.cert(), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("is not valid now");
    }

    @Test
    void addRoot_rootExpiringBeforeTheSigner_isRefused() {
        TestPki.Issued shortLived = TestPki.root("Short").at(g.clock).validFor(Duration.ofDays(30)).build();

        assertThatThrownBy(() -> RotationSteps.addRoot(files(g.oldOnly()), shortLived.cert(), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("expires before the current signing CA")
                .hasMessageContaining(g.oldSigning.cert().getNotAfter().toInstant().toString());
    }

    @Test
    void addRoot_rootAlreadyPresent_isRefusedNamingTheNextStep() {
        assertThatThrownBy(() -> RotationSteps.addRoot(files(g.oldSignerBothRoots()), g.newRoot.cert(), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("already in the trust bundle")
                .hasMessageContaining("meshid ca rotate switch");
    }

    @Test
    void switch_everyAgentAckedTheNewRoot_installsTheNewSignerWithTheUnionBundle() throws Exception {
        KeyCertBundle cur = g.oldSignerBothRoots();
        RotationReport r = report(cur, Map.of(), now, List.of(agent("spiffe://td/a", Set.of(g.oldFp(), g.newFp()))));

        Map<String, String> next = RotationSteps.switchSigner(files(cur), newSigningDir(), Optional.of(r), false, now,
                w -> { });

        KeyCertBundle loaded = KeyCertBundle.fromPem(next, g.clock);
        assertThat(loaded.signer().certificate()).isEqualTo(g.newSigning.cert());
        assertThat(loaded.roots().roots()).containsExactly(g.oldRoot.cert(), g.newRoot.cert());
    }

    @Test
    void switch_newRootNotInTheBundle_isRefused() {
        assertThatThrownBy(() -> RotationSteps.switchSigner(files(g.oldOnly()), newSigningDir(),
                Optional.of(report(g.oldOnly(), Map.of(), now, List.of())), false, now, w -> { }))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("does not chain to a root already in the trust bundle")
                .hasMessageContaining("meshid ca rotate add-root");
    }

    @Test
    void switch_agentsWithoutTheNewRoot_isRefusedNamingHowManyAndWho() {
        KeyCertBundle cur = g.oldSignerBothRoots();
        RotationReport r = report(cur, Map.of(), now, List.of(agent("spiffe://td/ok", Set.of(g.oldFp(), g.newFp())),
                agent("spiffe://td/late", Set.of(g.oldFp()))));

        assertThatThrownBy(() -> RotationSteps.switchSigner(files(cur), newSigningDir(), Optional.of(r), false, now,
                w -> { })).isInstanceOf(RotationRefused.class)
                .hasMessageContaining("1 of 2 connected agent(s) have not acknowledged")
                .hasMessageContaining("spiffe://td/late").hasMessageNotContaining("spiffe://td/ok")
                .hasMessageContaining("--force");
    }

    @Test
    void switch_forced_switchesAndWarns() throws Exception {
        KeyCertBundle cur = g.oldSignerBothRoots();
        RotationReport r = report(cur, Map.of(), now, List.of(agent("spiffe://td/late", Set.of(g.oldFp()))));
        List<String> warnings = new ArrayList<>();

        Map<String, String> next = RotationSteps.switchSigner(files(cur), newSigningDir(), Optional.of(r), true, now,
                warnings::add);

        assertThat(KeyCertBundle.fromPem(next, g.clock).signer().certificate()).isEqualTo(g.newSigning.cert());
        assertThat(warnings).singleElement().asString().startsWith("WARNING: --force").contains("spiffe://td/late");
    }

    @Test
    void switch_withoutTheCaReport_isRefused() {
        assertThatThrownBy(() -> RotationSteps.switchSigner(files(g.oldSignerBothRoots()), newSigningDir(),
                Optional.empty(), false, now, w -> { })).isInstanceOf(RotationRefused.class)
                .hasMessageContaining("pass --ca-http");
    }

    @Test
    void switch_toTheSignerInUse_isRefused() {
        KeyCertBundle cur = g.newSignerBothRoots();
        assertThatThrownBy(() -> RotationSteps.switchSigner(files(cur), newSigningDir(),
                Optional.of(report(cur, Map.of(), now, List.of())), false, now, w -> { }))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("nothing to switch");
    }

    @Test
    void removeRoot_signerStillChainsToIt_isRefused() {
        KeyCertBundle cur = g.oldSignerBothRoots();
        assertThatThrownBy(() -> RotationSteps.removeRoot(files(cur), g.oldFp(),
                Optional.of(report(cur, Map.of(), now, List.of())), now)).isInstanceOf(RotationRefused.class)
                .hasMessageContaining("still chains to").hasMessageContaining("switch signing first");
    }

    @Test
    void removeRoot_leafMayStillBeValid_isRefusedSayingWhenItBecomesSafe() {
        KeyCertBundle cur = g.newSignerBothRoots();
        Instant latest = now.plus(Duration.ofMinutes(50));
        RotationReport r = report(cur, Map.of(g.oldFp(), latest), now.minus(Duration.ofMinutes(30)), List.of());

        assertThatThrownBy(() -> RotationSteps.removeRoot(files(cur), g.oldFp(), Optional.of(r), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("may be valid until " + latest)
                .hasMessageContaining("retry after " + latest);
    }

    @Test
    void removeRoot_afterTheLastLeafExpired_dropsOnlyThatRoot() throws Exception {
        KeyCertBundle cur = g.newSignerBothRoots();
        Instant since = now.minus(Duration.ofHours(2));
        RotationReport r = report(cur, Map.of(g.oldFp(), now.minusSeconds(1)), since, List.of());

        Map<String, String> next = RotationSteps.removeRoot(files(cur), g.oldFp().toUpperCase(), Optional.of(r), now);

        assertThat(TrustBundle.fromPem(next.get("root-cert.pem")).roots()).containsExactly(g.newRoot.cert());
        assertThat(KeyCertBundle.fromPem(next, g.clock).signer().certificate()).isEqualTo(g.newSigning.cert());
    }

    @Test
    void removeRoot_unknownFingerprintOrNoCaReport_isRefused() {
        KeyCertBundle cur = g.newSignerBothRoots();
        assertThatThrownBy(() -> RotationSteps.removeRoot(files(cur), "ab".repeat(32), Optional.empty(), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("no root with SHA-256 fingerprint");
        assertThatThrownBy(() -> RotationSteps.removeRoot(files(cur), g.oldFp(), Optional.empty(), now))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("pass --ca-http");
        assertThat(Certs.fingerprint(g.oldRoot.cert())).isEqualTo(g.oldFp());
    }
}
