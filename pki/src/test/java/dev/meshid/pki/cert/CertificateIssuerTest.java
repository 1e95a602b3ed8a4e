package dev.meshid.pki.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Time, serials, clamping and re-issuing. */
class CertificateIssuerTest {
    private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");

    private final FakeClock clock = FakeClock.at("2030-06-01T12:00:00Z");
    private final CertificateIssuer issuer = new CertificateIssuer(clock, new SecureRandom());

    @Test
    void svid_fromInjectedClock_backdatesNotBeforeAndAddsTtl() throws Exception {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        clock.advance(Duration.ofHours(3));

        X509Certificate leaf = issuer.svid(SvidSpec.of(WEB, Duration.ofHours(1)), key(), root.signer());

        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(Instant.parse("2030-06-01T14:58:00Z"));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(Instant.parse("2030-06-01T16:00:00Z"));
    }

    @Test
    void svid_customBackdate_isUsedButNeverBeforeTheIssuer() throws Exception {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        clock.advance(Duration.ofHours(1));

        X509Certificate tenMinutes = issuer.svid(SvidSpec.of(WEB, Duration.ofHours(1)).withBackdate(Duration.ofMinutes(10)),
                key(), root.signer());
        X509Certificate twoHours = issuer.svid(SvidSpec.of(WEB, Duration.ofHours(1)).withBackdate(Duration.ofHours(2)),
                key(), root.signer());

        assertThat(tenMinutes.getNotBefore().toInstant()).isEqualTo(Instant.parse("2030-06-01T12:50:00Z"));
        assertThat(twoHours.getNotBefore()).isEqualTo(root.cert().getNotBefore());
    }

    @Test
    void caCertificates_areBackdatedTwoMinutes() throws Exception {
        X509Certificate root = issuer.selfSignedRoot(RootSpec.of("Istio", "Root CA", 10), Keys.generate(KeyAlgorithm.EC_P256));

        assertThat(root.getNotBefore().toInstant()).isEqualTo(Instant.parse("2030-06-01T11:58:00Z"));
        assertThat(root.getNotAfter().toInstant()).isEqualTo(Instant.parse("2030-06-11T12:00:00Z"));
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Root CA,O=Istio");
    }

    @Test
    void svid_ttlPastIssuer_isClampedToIssuerNotAfter() throws Exception {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).validFor(Duration.ofDays(1)).build();

        X509Certificate leaf = issuer.svid(SvidSpec.of(WEB, Duration.ofDays(30)), key(), root.signer());

        assertThat(leaf.getNotAfter()).isEqualTo(root.cert().getNotAfter());
    }

    @Test
    void intermediate_validityPastIssuer_isClampedToIssuerNotAfter() throws Exception {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).validFor(Duration.ofDays(10)).build();

        X509Certificate ca = issuer.intermediate(IntermediateSpec.of("Istio", "Intermediate CA", 3650), key(),
                root.signer());

        assertThat(ca.getNotAfter()).isEqualTo(root.cert().getNotAfter());
        assertThat(ChainVerifier.verify(List.of(ca), List.of(root.cert()), clock.instant()).root())
                .isEqualTo(root.cert());
    }

    @Test
    void svid_fromExpiredIssuer_isRefused() {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).validFor(Duration.ofDays(1)).build();
        clock.advance(Duration.ofDays(2));

        assertThatThrownBy(() -> issuer.svid(SvidSpec.of(WEB, Duration.ofHours(1)), key(), root.signer()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("CN=Root CA").hasMessageContaining("expired at 2030-06-02T12:00:00Z");
    }

    @Test
    void serials_arePositiveLargeAndDifferent() throws Exception {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        X509Certificate a = issuer.svid(SvidSpec.of(WEB, Duration.ofHours(1)), key(), root.signer());
        X509Certificate b = issuer.svid(SvidSpec.of(WEB, Duration.ofHours(1)), key(), root.signer());

        for (BigInteger s : List.of(a.getSerialNumber(), b.getSerialNumber(), root.cert().getSerialNumber())) {
            assertThat(s.signum()).isEqualTo(1);
            // 128 random bits: fewer than 96 significant bits happens with probability 2^-32.
            assertThat(s.bitLength()).isBetween(96, 128);
        }
        assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
    }

    @Test
    void serial_comesFromTheInjectedRandom() throws Exception {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        SecureRandom seededA = seeded(42);
        SecureRandom seededB = seeded(42);

        X509Certificate a = new CertificateIssuer(clock, seededA).svid(SvidSpec.of(WEB, Duration.ofHours(1)), key(),
                root.signer());
        X509Certificate b = new CertificateIssuer(clock, seededB).svid(SvidSpec.of(WEB, Duration.ofHours(1)), key(),
                root.signer());
        X509Certificate fixed = TestPki.root("Fixed").at(clock).serial(BigInteger.valueOf(4242)).build().cert();

        assertThat(a.getSerialNumber()).isEqualTo(b.getSerialNumber());
        assertThat(fixed.getSerialNumber()).isEqualTo(BigInteger.valueOf(4242));
    }

    @Test
    void reissueRoot_keepsKeySubjectAndExtensions_andOldLeavesStillVerify() throws Exception {
        FakeClock now = FakeClock.startingNow();
        TestPki.Issued root = TestPki.root("Root CA").at(now).validFor(Duration.ofDays(10))
                .trustDomain("cluster.local", false).build();
        TestPki.Issued leaf = root.svid(WEB).validFor(Duration.ofDays(9)).build();
        now.advance(Duration.ofDays(8));

        X509Certificate renewed = new CertificateIssuer(now, new SecureRandom())
                .reissueRoot(root.cert(), root.key(), Duration.ofDays(10));

        assertThat(renewed.getPublicKey()).isEqualTo(root.cert().getPublicKey());
        assertThat(renewed.getSubjectX500Principal()).isEqualTo(root.cert().getSubjectX500Principal());
        assertThat(renewed.getSerialNumber()).isNotEqualTo(root.cert().getSerialNumber());
        assertThat(renewed.getNotAfter().toInstant()).isEqualTo(now.instant().plus(Duration.ofDays(10)));
        assertThat(renewed.getCriticalExtensionOIDs()).isEqualTo(root.cert().getCriticalExtensionOIDs());
        assertThat(renewed.getNonCriticalExtensionOIDs()).isEqualTo(root.cert().getNonCriticalExtensionOIDs());
        assertThat(renewed.getSubjectAlternativeNames()).containsExactlyElementsOf(root.cert().getSubjectAlternativeNames());
        assertThat(ChainVerifier.verify(List.of(leaf.cert()), List.of(renewed), now.instant()).root()).isEqualTo(renewed);
        OpenSsl.Result oldLeaf = OpenSsl.verify(renewed, List.of(), leaf.cert(), OpenSsl.atTime(now.instant()));
        OpenSsl.Result self = OpenSsl.verify(renewed, List.of(), renewed, OpenSsl.atTime(now.instant()));
        assertThat(oldLeaf.ok()).as(oldLeaf.output()).isTrue();
        assertThat(self.ok()).as(self.output()).isTrue();
    }

    @Test
    void reissueRoot_withAnotherKey_isRefused() {
        TestPki.Issued root = TestPki.root("Root CA").at(clock).build();
        KeyPair other = Keys.generate(KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> issuer.reissueRoot(root.cert(), other.getPrivate(), Duration.ofDays(1)))
                .isInstanceOf(PkiException.class).hasMessageContaining("does not match");
    }

    @Test
    void svidSpec_trustDomainIdWithoutPath_isRefused() {
        assertThatThrownBy(() -> SvidSpec.of(SpiffeId.parse("spiffe://cluster.local"), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workload SPIFFE ID with a path");
    }

    @Test
    void caSpecs_emptySubject_areRefused() {
        assertThatThrownBy(() -> new RootSpec("", Duration.ofDays(1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject DN is empty");
        assertThatThrownBy(() -> IntermediateSpec.of("", "", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject DN is empty");
    }

    private static java.security.PublicKey key() {
        return Keys.generate(KeyAlgorithm.EC_P256).getPublic();
    }

    private static SecureRandom seeded(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
    }
}
