package dev.meshid.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpiffeTrustManagerTest {
  private static final String ID = "spiffe://cluster.local/ns/default/sa/details";

  private final FakeClock clock = FakeClock.startingNow();
  private final TestPki.Issued root = TestPki.root("trust root").at(clock).build();
  private final TestPki.Issued intermediate = root.intermediate("issuing ca").at(clock).build();
  private final TestPki.Issued leaf = intermediate.svid(ID).at(clock).validFor(Duration.ofHours(1)).build();

  private X509Certificate[] chain() {
    return leaf.chainWithoutRoot().toArray(new X509Certificate[0]);
  }

  @Test
  void verify_sameChainTwice_verifiesOnceAndReturnsTheSameIdentity() throws Exception {
    SpiffeTrustManager tm = new SpiffeTrustManager(List.of(root.cert()), clock);

    VerifiedPeer first = tm.verify(chain());
    VerifiedPeer second = tm.verify(chain());

    assertThat(first.id().toString()).isEqualTo(ID);
    assertThat(second).isSameAs(first);
    assertThat(tm.cachedChains()).isEqualTo(1);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.cert().getEncoded()));
    assertThat(first.certificateHash()).isEqualTo(sha);
  }

  @Test
  void verify_cachedChainAfterItsLeafExpired_isRefused() throws Exception {
    SpiffeTrustManager tm = new SpiffeTrustManager(List.of(root.cert()), clock);
    tm.verify(chain());

    clock.advance(Duration.ofHours(2));

    assertThatThrownBy(() -> tm.verify(chain())).isInstanceOf(CertificateException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void verify_sameLeafWithDifferentIntermediates_isVerifiedAgainAndRefused() throws Exception {
    SpiffeTrustManager tm = new SpiffeTrustManager(List.of(root.cert()), clock);
    tm.verify(chain());
    TestPki.Issued other = TestPki.root("other root").at(clock).build();
    X509Certificate[] tampered = {leaf.cert(), other.cert()};

    assertThatThrownBy(() -> tm.verify(tampered)).isInstanceOf(CertificateException.class);
  }

  @Test
  void verify_chainFromAnotherRoot_isRefusedEveryTime() {
    TestPki.Issued other = TestPki.root("other root").at(clock).build();
    SpiffeTrustManager tm = new SpiffeTrustManager(List.of(other.cert()), clock);

    assertThatThrownBy(() -> tm.verify(chain())).isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> tm.verify(chain())).isInstanceOf(CertificateException.class);
    assertThat(tm.cachedChains()).isZero();
  }

  @Test
  void identify_verifiedLeaf_returnsTheCachedIdentity_andAnUnseenLeafIsDerived() throws Exception {
    SpiffeTrustManager tm = new SpiffeTrustManager(List.of(root.cert()), clock);
    VerifiedPeer verified = tm.verify(chain());
    TestPki.Issued unseen = intermediate.svid("spiffe://cluster.local/ns/default/sa/other").at(clock).build();

    assertThat(tm.identify(leaf.cert()).certificateHash()).isEqualTo(verified.certificateHash());
    assertThat(tm.identify(unseen.cert()).id().toString()).isEqualTo("spiffe://cluster.local/ns/default/sa/other");
  }
}
