package dev.meshid.pki.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
    private static final String WEB = "spiffe://cluster.local/ns/default/sa/web";

    private final FakeClock clock = FakeClock.startingNow();
    private final TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
    private final TestPki.Issued ca = root.intermediate("Intermediate CA").build();
    private final TestPki.Issued leaf = ca.svid(WEB).validFor(Duration.ofHours(1)).build();

    @Test
    void verify_goodChain_returnsPartsAndSpiffeId() throws Exception {
        VerifiedChain v = ChainVerifier.verify(List.of(leaf.cert(), ca.cert()), List.of(root.cert()), clock.instant());

        assertThat(v.leaf()).isEqualTo(leaf.cert());
        assertThat(v.intermediates()).containsExactly(ca.cert());
        assertThat(v.root()).isEqualTo(root.cert());
        assertThat(v.spiffeId()).contains(SpiffeId.parse(WEB));
    }

    @Test
    void verify_chainIncludingTheRoot_stripsIt() throws Exception {
        VerifiedChain v = ChainVerifier.verify(leaf.fullChain(), List.of(root.cert()), clock.instant());

        assertThat(v.intermediates()).containsExactly(ca.cert());
        assertThat(v.root()).isEqualTo(root.cert());
    }

    @Test
    void verify_chainEndingWithAForeignRoot_isRefusedNamingIt() {
        TestPki.Issued other = TestPki.root("Other Root").at(clock).build();

        assertThatThrownBy(() -> ChainVerifier.verify(leaf.fullChain(), List.of(other.cert()), clock.instant()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("ends with the self-signed certificate \"CN=Root CA,O=meshid test\"")
                .hasMessageContaining("not one of the trusted roots [\"CN=Other Root,O=meshid test\"]");
    }

    @Test
    void verify_expiredLeaf_namesTheLeafAndItsNotAfter() {
        clock.advance(Duration.ofHours(2));

        assertThatThrownBy(() -> ChainVerifier.verify(leaf.chainWithoutRoot(), List.of(root.cert()), clock.instant()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("the leaf certificate")
                .hasMessageContaining("expired at " + leaf.cert().getNotAfter().toInstant());
    }

    @Test
    void verify_beforeNotBefore_saysNotYetValid() {
        assertThatThrownBy(() -> ChainVerifier.verify(leaf.chainWithoutRoot(), List.of(root.cert()),
                clock.instant().minus(Duration.ofMinutes(10))))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not yet valid: NotBefore " + leaf.cert().getNotBefore().toInstant());
    }

    @Test
    void verify_leafFromAnotherRoot_namesTheMissingIssuer() {
        TestPki.Issued otherRoot = TestPki.root("Other Root").at(clock).build();
        TestPki.Issued stranger = otherRoot.svid(WEB).build();

        assertThatThrownBy(() -> ChainVerifier.verify(List.of(stranger.cert()), List.of(root.cert()), clock.instant()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not chain to any root in the bundle")
                .hasMessageContaining("the issuer \"CN=Other Root,O=meshid test\"");
    }

    @Test
    void verify_missingIntermediate_namesTheIntermediateIssuer() {
        assertThatThrownBy(() -> ChainVerifier.verify(List.of(leaf.cert()), List.of(root.cert()), clock.instant()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("the issuer \"CN=Intermediate CA,O=meshid test\"")
                .hasMessageContaining("is not among the roots [\"CN=Root CA,O=meshid test\"]");
    }

    @Test
    void verify_rootWithSameNameButAnotherKey_saysTheSignatureDoesNotVerify() {
        TestPki.Issued impostor = TestPki.root("Root CA").at(clock).build();

        assertThatThrownBy(() -> ChainVerifier.verify(leaf.chainWithoutRoot(), List.of(impostor.cert()), clock.instant()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not verify with the public key of any root named \"CN=Root CA,O=meshid test\"");
    }

    @Test
    void verify_pathLongerThanPathLen_isRefusedLikeOpenssl() {
        TestPki.Issued sub = ca.intermediate("Sub CA").build();
        TestPki.Issued deep = sub.svid(WEB).build();

        assertThatThrownBy(() -> ChainVerifier.verify(deep.chainWithoutRoot(), List.of(root.cert()), clock.instant()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("pathLenConstraint");
        assertThat(OpenSsl.verify(root.cert(), deep.intermediates(), deep.cert()).ok()).isFalse();
    }

    @Test
    void verify_leafOutsideUriNameConstraints_isRefused() throws Exception {
        TestPki.Issued constrained = root.intermediate("Constrained CA").trustDomain("cluster.local", true).build();
        TestPki.Issued inside = constrained.svid(WEB).build();
        TestPki.Issued outside = constrained.svid("spiffe://evil.example/ns/default/sa/web").build();

        assertThat(ChainVerifier.verify(inside.chainWithoutRoot(), List.of(root.cert()), clock.instant()).spiffeId())
                .contains(SpiffeId.parse(WEB));
        assertThatThrownBy(() -> ChainVerifier.verify(outside.chainWithoutRoot(), List.of(root.cert()), clock.instant()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("name constraints");
    }

    @Test
    void verify_severalRoots_picksTheIssuingOne() throws Exception {
        TestPki.Issued otherRoot = TestPki.root("Other Root").at(clock).build();

        VerifiedChain v = ChainVerifier.verify(leaf.chainWithoutRoot(), List.of(otherRoot.cert(), root.cert()),
                clock.instant());

        assertThat(v.root()).isEqualTo(root.cert());
    }

    @Test
    void verify_emptyChain_isRefused() {
        assertThatThrownBy(() -> ChainVerifier.verify(List.of(), List.of(root.cert()), clock.instant()))
                .isInstanceOf(PkiException.class).hasMessageContaining("chain is empty");
    }
}
