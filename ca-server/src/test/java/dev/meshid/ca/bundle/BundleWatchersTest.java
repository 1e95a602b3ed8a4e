package dev.meshid.ca.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.testing.TestPki;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleWatchersTest {
    final X509Certificate a = TestPki.root("A").build().cert();
    final X509Certificate b = TestPki.root("B").build().cert();
    final BundleWatchers watchers = new BundleWatchers();

    @Test
    void register_beforeAnyBundle_getsTheFirstOneWhenItArrives() {
        List<BundleVersion> got = new ArrayList<>();
        watchers.register("agent", "peer", got::add);
        assertThat(got).isEmpty();

        watchers.update(new TrustBundle(List.of(a)));

        assertThat(got).extracting(BundleVersion::fingerprints).containsExactly(java.util.Set.of(Certs.fingerprint(a)));
    }

    @Test
    void update_sameRootsInAnotherOrder_isNotPushedAgain() {
        List<BundleVersion> got = new ArrayList<>();
        watchers.update(new TrustBundle(List.of(a, b)));
        watchers.register("agent", "peer", got::add);

        watchers.update(new TrustBundle(List.of(b, a)));

        assertThat(got).hasSize(1);
        assertThat(BundleVersion.of(new TrustBundle(List.of(b, a))).version()).isEqualTo(got.get(0).version());
    }

    @Test
    void ack_ofTheCurrentVersion_countsUntilTheNextChangeAndTheStreamCloses() {
        List<BundleVersion> got = new ArrayList<>();
        watchers.update(new TrustBundle(List.of(a)));
        BundleWatchers.Registration r = watchers.register("agent", "peer", got::add);

        r.ack(got.get(0).version(), "");
        assertThat(watchers.ackedCurrent()).isEqualTo(1);
        watchers.update(new TrustBundle(List.of(a, b)));
        assertThat(watchers.ackedCurrent()).isZero();
        assertThat(watchers.agents().get(0).ackedRoots()).containsExactly(Certs.fingerprint(a));
        r.ack(got.get(1).version(), "");
        assertThat(watchers.agents().get(0).ackedRoots()).containsExactlyInAnyOrder(Certs.fingerprint(a),
                Certs.fingerprint(b));

        r.close();
        assertThat(watchers.connected()).isZero();
        assertThat(watchers.ackedCurrent()).isZero();
    }

    @Test
    void refusal_keepsTheLastAppliedVersionAndRecordsTheReason() {
        List<BundleVersion> got = new ArrayList<>();
        watchers.update(new TrustBundle(List.of(a)));
        BundleWatchers.Registration r = watchers.register("agent", "peer", got::add);
        r.ack(got.get(0).version(), "");
        watchers.update(new TrustBundle(List.of(a, b)));

        r.ack(got.get(1).version(), "disk full");

        AgentView v = watchers.agents().get(0);
        assertThat(v.ackedVersion()).contains(got.get(0).version());
        assertThat(v.lastError()).contains("disk full");
    }
}
