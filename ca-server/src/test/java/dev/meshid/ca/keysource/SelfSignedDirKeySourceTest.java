package dev.meshid.ca.keysource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedDirKeySourceTest extends KeySourceContractTest {
    static final Duration CHECK = SelfSignedOptions.DEFAULT_CHECK_INTERVAL;
    static final SelfSignedOptions OPTIONS = SelfSignedOptions.defaults(TrustDomain.parse("cluster.local"));

    @TempDir
    Path dir;
    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    private DirRootStore store() {
        return new DirRootStore(dir, RootLayout.MESHID);
    }

    @Override
    protected KeySource newSource() {
        return new SelfSignedKeySource(store(), OPTIONS, clock, scheduler);
    }

    /** Another valid self-signed root, as an operator (or a replica) would store it. */
    @Override
    protected void changeToValid() throws Exception {
        TestPki.Issued other = TestPki.root("replaced").subject("O=cluster.local").at(clock)
                .validFor(Duration.ofDays(3650)).build();
        DirRootStore s = store();
        s.replace(s.read().orElseThrow(), RootLayout.MESHID.encode(other.key(), other.cert(), List.of()));
    }

    @Override
    protected void touchUnchanged() throws Exception {
        DirRootStore s = store();
        Map<String, String> same = s.read().orElseThrow();
        s.replace(same, same);
    }

    @Override
    protected void changeToInvalid() throws Exception {
        Files.writeString(dir.resolve("root-key.pem"), Pem.writePrivateKey(Keys.generate(KeyAlgorithm.EC_P256).getPrivate()));
    }

    @Override
    protected String expectedRejection() {
        return "does not match";
    }

    @Override
    protected void refresh() {
        scheduler.advance(CHECK);
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected String expectedNameFragment() {
        return "selfsigned:dir:" + dir.toAbsolutePath();
    }

    private RecordingListener started(SelfSignedKeySource s) {
        RecordingListener l = new RecordingListener();
        s.start(l);
        scheduler.runDue();
        return l;
    }

    @Test
    void firstStart_generatesIstioStyleRoot_andStoresTheKeyOwnerOnly() throws Exception {
        RecordingListener l = started((SelfSignedKeySource) newSource());

        X509Certificate root = l.last().signer().certificate();
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("O=cluster.local");
        assertThat(Keys.algorithmOf(root.getPublicKey())).isEqualTo(KeyAlgorithm.EC_P256);
        assertThat(Duration.between(clock.instant(), root.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650));
        assertThat(Files.getPosixFilePermissions(dir.resolve("root-key.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Pem.readCertificate(Files.readString(dir.resolve("root-cert.pem")))).isEqualTo(root);
    }

    @Test
    void restart_reusesTheStoredRootAndKey() {
        KeyCertBundle first = started((SelfSignedKeySource) newSource()).last();

        KeyCertBundle again = started((SelfSignedKeySource) newSource()).last();

        assertThat(again.signer().certificate()).isEqualTo(first.signer().certificate());
        assertThat(again.signer().key()).isEqualTo(first.signer().key());
    }

    @Test
    void keyAlgorithm_isConfigurable() {
        SelfSignedKeySource s = new SelfSignedKeySource(store(), OPTIONS.withKeyAlgorithm(KeyAlgorithm.RSA_2048),
                clock, scheduler);

        X509Certificate root = started(s).last().signer().certificate();

        assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(Keys.bits(root.getPublicKey())).isEqualTo(2048);
    }

    @Test
    void reissue_atTwentyPercentLeft_keepsTheKey_andTrustsOldAndNewRootUntilTheOldExpires() throws Exception {
        SelfSignedKeySource s = (SelfSignedKeySource) newSource();
        RecordingListener l = started(s);
        KeyCertBundle old = l.last();
        X509Certificate oldRoot = old.signer().certificate();

        clock.setInstant(oldRoot.getNotAfter().toInstant().minus(Duration.ofDays(731)));
        scheduler.advance(CHECK);
        assertThat(l.bundles).as("more than 20%% of 10 years left: no re-issue").hasSize(1);
        X509Certificate oldLeaf = svid(old);

        clock.setInstant(oldRoot.getNotAfter().toInstant().minus(Duration.ofDays(729)));
        scheduler.advance(CHECK);
        assertThat(l.bundles).hasSize(2);
        KeyCertBundle fresh = l.last();
        X509Certificate newRoot = fresh.signer().certificate();
        assertThat(newRoot).isNotEqualTo(oldRoot);
        assertThat(newRoot.getPublicKey()).isEqualTo(oldRoot.getPublicKey());
        assertThat(newRoot.getSubjectX500Principal()).isEqualTo(oldRoot.getSubjectX500Principal());
        assertThat(newRoot.getNotAfter()).isAfter(oldRoot.getNotAfter());
        assertThat(fresh.roots().roots()).containsExactly(newRoot, oldRoot);
        // Leaves signed before the re-issue still verify, and so do new ones.
        ChainVerifier.verify(List.of(oldLeaf), fresh.roots().roots(), clock.instant());
        ChainVerifier.verify(List.of(svid(fresh)), fresh.roots().roots(), clock.instant());
        assertThat(s.rejectedCount()).isZero();

        clock.setInstant(oldRoot.getNotAfter().toInstant().plusSeconds(1));
        scheduler.advance(CHECK);
        assertThat(l.bundles).as("the expired old root leaves the trust bundle").hasSize(3);
        assertThat(l.last().roots().roots()).containsExactly(newRoot);
        assertThat(l.last().signer().certificate()).isEqualTo(newRoot);
        assertThat(Pem.readCertificates(Files.readString(dir.resolve("root-cert.pem")))).containsExactly(newRoot);
    }

    @Test
    void shouldReissue_isTrueOnlyInTheLastFifthOfTheRootsLife() {
        SelfSignedKeySource s = (SelfSignedKeySource) newSource();
        X509Certificate root = TestPki.root("r").at(clock).validFor(Duration.ofDays(100)).build().cert();
        java.time.Instant notBefore = root.getNotBefore().toInstant();
        Duration life = Duration.between(notBefore, root.getNotAfter().toInstant());

        assertThat(s.shouldReissue(notBefore, root)).isFalse();
        assertThat(s.shouldReissue(notBefore.plus(life.multipliedBy(79).dividedBy(100)), root)).isFalse();
        assertThat(s.shouldReissue(notBefore.plus(life.multipliedBy(80).dividedBy(100)), root)).isTrue();
        assertThat(s.shouldReissue(root.getNotAfter().toInstant().plusSeconds(1), root)).isTrue();
    }

    @Test
    void invalidStoredRoot_isRefused_andNotOverwritten() throws Exception {
        started((SelfSignedKeySource) newSource());
        changeToInvalid();
        String tampered = Files.readString(dir.resolve("root-key.pem"));

        SelfSignedKeySource s = (SelfSignedKeySource) newSource();
        RecordingListener l = started(s);
        scheduler.advance(CHECK);

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).singleElement().asString().contains("does not match").contains("not overwritten");
        assertThat(Files.readString(dir.resolve("root-key.pem"))).isEqualTo(tampered);
        assertThat(s.rejectedCount()).isEqualTo(1);
    }

    @Test
    void istioLayout_writesPluginFilesThatTheCacertsSourceAccepts() throws Exception {
        SelfSignedKeySource s = new SelfSignedKeySource(new DirRootStore(dir, RootLayout.ISTIO), OPTIONS, clock,
                scheduler);
        KeyCertBundle generated = started(s).last();

        CacertsDirKeySource cacerts = new CacertsDirKeySource(dir, CacertsDirOptions.defaults(), clock, scheduler);
        RecordingListener l = new RecordingListener();
        cacerts.start(l);
        scheduler.runDue();
        cacerts.close();

        assertThat(Files.getPosixFilePermissions(dir.resolve("ca-key.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(l.rejections).isEmpty();
        assertThat(l.last().signer().certificate()).isEqualTo(generated.signer().certificate());
    }

    private X509Certificate svid(KeyCertBundle b) throws Exception {
        return new CertificateIssuer(clock, new SecureRandom()).svid(
                SvidSpec.of(SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b"), Duration.ofDays(10)),
                Keys.generate(KeyAlgorithm.EC_P256).getPublic(), b.signer());
    }
}
