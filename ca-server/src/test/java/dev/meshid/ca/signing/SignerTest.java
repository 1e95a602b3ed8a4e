package dev.meshid.ca.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.ca.CaException;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignerTest {
    private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
    private final FakeClock clock = FakeClock.startingNow();
    private final TestPki.Issued root = TestPki.root("Root").at(clock).validFor(Duration.ofDays(30)).build();
    private final TestPki.Issued ca = root.intermediate("CA").validFor(Duration.ofDays(10)).build();
    private final KeyCertBundle bundle = new KeyCertBundle(ca.signer(), List.of(), new TrustBundle(List.of(root.cert())));
    private final KeyPair leafKey = Keys.generate(KeyAlgorithm.EC_P256);

    private Signer signer() {
        return new Signer(clock, new SecureRandom(), Duration.ofDays(90));
    }

    @Test
    void sign_beforeAnyBundle_isNotReady() {
        Signer s = signer();

        assertThat(s.ready()).isFalse();
        assertThatThrownBy(() -> s.sign(SvidSpec.of(WEB, Duration.ofHours(1)), leafKey.getPublic()))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.kind()).isEqualTo(CaException.Kind.NOT_READY));
    }

    @Test
    void sign_withBundle_chainIsLeafSigningCaAndRootBundleAndOpensslVerifies() throws Exception {
        Signer s = signer();
        s.onBundle(bundle);

        SignedChain chain = s.sign(SvidSpec.of(WEB, Duration.ofHours(1)), leafKey.getPublic());

        List<String> elements = chain.certChain();
        assertThat(elements).hasSize(3);
        assertThat(Pem.readCertificate(elements.get(1))).isEqualTo(ca.cert());
        assertThat(Pem.readCertificates(elements.get(2))).containsExactly(root.cert());
        assertThat(OpenSsl.verify(root.cert(), List.of(ca.cert()), chain.leaf(), OpenSsl.atTime(clock.instant())).ok())
                .isTrue();
    }

    @Test
    void signServing_isNotRecordedInTheLedger_whileWorkloadLeavesAre() throws Exception {
        Signer s = signer();
        s.onBundle(bundle);

        SignedChain serving = s.signServing(SvidSpec.of(WEB, Duration.ofHours(24)), leafKey.getPublic());
        assertThat(serving.leaf()).isNotNull();
        assertThat(s.issuedLedger().snapshot()).as("the CA's own serving certificate keeps no root in use").isEmpty();

        SignedChain workload = s.sign(SvidSpec.of(WEB, Duration.ofHours(1)), leafKey.getPublic());
        assertThat(s.issuedLedger().latest(dev.meshid.pki.cert.Certs.fingerprint(root.cert())))
                .contains(workload.leaf().getNotAfter().toInstant());
    }

    @Test
    void sign_ttlBeyondChain_isCutToSigningCaNotAfter() throws Exception {
        Signer s = signer();
        s.onBundle(bundle);

        SignedChain chain = s.sign(SvidSpec.of(WEB, Duration.ofDays(60)), leafKey.getPublic());

        assertThat(chain.leaf().getNotAfter()).isEqualTo(ca.cert().getNotAfter());
    }

    @Test
    void sign_afterChainExpired_isSigningFailure() {
        Signer s = signer();
        s.onBundle(bundle);
        clock.advance(Duration.ofDays(11));

        assertThatThrownBy(() -> s.sign(SvidSpec.of(WEB, Duration.ofHours(1)), leafKey.getPublic()))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.kind()).isEqualTo(CaException.Kind.SIGNING_FAILED))
                .hasMessageContaining("expired");
    }

    @Test
    void onRejected_keepsTheOldBundleAndCounts() throws Exception {
        Signer s = signer();
        s.onBundle(bundle);
        s.onRejected("bad files");

        assertThat(s.rejectedCount()).isEqualTo(1);
        assertThat(s.active().orElseThrow().bundle()).isSameAs(bundle);
        assertThat(s.sign(SvidSpec.of(WEB, Duration.ofHours(1)), leafKey.getPublic()).leaf()).isNotNull();
    }

    @Test
    void onBundle_swap_notifiesListenersWithGrowingSequence() {
        Signer s = signer();
        List<Long> seen = new ArrayList<>();
        s.addListener(a -> seen.add(a.sequence()));
        s.onBundle(bundle);
        s.onBundle(bundle);

        assertThat(seen).containsExactly(1L, 2L);
    }

    @Test
    void signedChain_rootAsIntermediate_isRefused() {
        assertThatThrownBy(() -> new SignedChain(ca.cert(), List.of(root.cert()), new TrustBundle(List.of(root.cert()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roots go only into the last element");
    }
}
