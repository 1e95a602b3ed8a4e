package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.chain.VerifiedChain;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link KeySource}, which every implementation's test extends. A subclass prepares valid
 * material in its backing store before each test and says how to change it; {@link #refresh()} lets the
 * source look (deterministic sources run their due checks; watched ones need nothing). Where "nothing more
 * happened" must be shown, a later, different change serves as a barrier: events are handled in order.
 */
public abstract class KeySourceContractTest {
    private final List<KeySource> started = new ArrayList<>();

    /** A new source over the material prepared in the backing store; not started. */
    protected abstract KeySource newSource() throws Exception;

    /** Replaces the stored material with different, valid material. */
    protected abstract void changeToValid() throws Exception;

    /** Writes the stored material again with identical content. */
    protected abstract void touchUnchanged() throws Exception;

    /** Replaces the stored material with material that must be refused. */
    protected abstract void changeToInvalid() throws Exception;

    /** A word the rejection reason of {@link #changeToInvalid()} must contain (the problem, specifically). */
    protected abstract String expectedRejection();

    /** Lets the source look at its store now. */
    protected abstract void refresh() throws Exception;

    /** The clock the sources were given. */
    protected abstract Clock clock();

    /** What {@link KeySource#name()} must contain, e.g. the directory or the secret's name. */
    protected abstract String expectedNameFragment();

    protected RecordingListener startSource() throws Exception {
        KeySource s = newSource();
        started.add(s);
        RecordingListener l = new RecordingListener();
        s.start(l);
        refresh();
        return l;
    }

    protected KeySource lastStarted() {
        return started.get(started.size() - 1);
    }

    protected static void awaitBundles(RecordingListener l, int n) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(l.bundles).hasSize(n));
    }

    @AfterEach
    void closeSources() {
        started.forEach(KeySource::close);
    }

    @Test
    void start_validMaterial_deliversFirstBundleWithoutRejection() throws Exception {
        RecordingListener l = startSource();

        awaitBundles(l, 1);
        assertThat(l.rejections).isEmpty();
    }

    @Test
    void deliveredBundle_keyMatchesCertificateAndSignsChainsToItsTrustBundle() throws Exception {
        RecordingListener l = startSource();
        awaitBundles(l, 1);
        KeyCertBundle b = l.last();

        assertThat(Keys.matches(b.signer().key(), b.signer().certificate().getPublicKey())).isTrue();
        assertThat(b.roots().contains(b.root())).isTrue();
        KeyPair workload = Keys.generate(KeyAlgorithm.EC_P256);
        X509Certificate leaf = new CertificateIssuer(clock(), new SecureRandom()).svid(
                SvidSpec.of(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web"), Duration.ofHours(1)),
                workload.getPublic(), b.signer());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(b.responseChainWithoutRoots());
        VerifiedChain verified = ChainVerifier.verify(chain, b.roots().roots(), clock().instant());
        assertThat(b.roots().contains(verified.root())).isTrue();
    }

    @Test
    void validChange_deliveredOnce_andUnchangedContentIsNotDeliveredAgain() throws Exception {
        RecordingListener l = startSource();
        awaitBundles(l, 1);
        X509Certificate first = l.last().signer().certificate();

        touchUnchanged();
        refresh();
        changeToValid();
        refresh();
        awaitBundles(l, 2);
        refresh();

        assertThat(l.bundles).hasSize(2);
        assertThat(l.last().signer().certificate()).isNotEqualTo(first);
        assertThat(l.rejections).isEmpty();
    }

    @Test
    void invalidChange_rejectedWithReason_andPreviousBundleStays() throws Exception {
        RecordingListener l = startSource();
        awaitBundles(l, 1);

        changeToInvalid();
        refresh();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(l.rejections).hasSize(1));
        refresh();

        assertThat(l.rejections.get(0)).contains(expectedRejection()).contains(lastStarted().name());
        assertThat(l.bundles).hasSize(1);
        // The source keeps working after a refusal: the next valid material is delivered.
        changeToValid();
        refresh();
        awaitBundles(l, 2);
        assertThat(l.rejections).hasSize(1);
    }

    @Test
    void close_stopsDeliveries() throws Exception {
        RecordingListener closedOne = startSource();
        awaitBundles(closedOne, 1);
        lastStarted().close();

        changeToValid();
        refresh();
        // Barrier: a fresh source sees the change, so the closed one had every chance to see it too.
        RecordingListener fresh = startSource();
        awaitBundles(fresh, 1);
        refresh();

        assertThat(closedOne.bundles).hasSize(1);
        assertThat(closedOne.rejections).isEmpty();
        assertThat(fresh.last().signer().certificate()).isNotEqualTo(closedOne.last().signer().certificate());
    }

    @Test
    void name_saysWhichKindAndWhere() throws Exception {
        KeySource s = newSource();
        started.add(s);

        assertThat(s.name()).contains(expectedNameFragment());
        assertThat(s.toString()).isEqualTo(s.name());
    }
}
