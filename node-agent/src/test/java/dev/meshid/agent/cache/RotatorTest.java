package dev.meshid.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.ca.Backoff;
import dev.meshid.agent.ca.CertificateRequester;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.ca.RetryPolicy;
import dev.meshid.agent.testing.FakeCa;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.sds.secret.SecretNames;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RotatorTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web");

    private FakeClock clock;
    private ManualScheduler scheduler;
    private FakeCa ca;
    private SecretCache cache;
    private final List<String> pushes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = FakeClock.at("2025-03-01T10:00:00Z");
        scheduler = new ManualScheduler(clock);
        ca = new FakeCa(clock);
        cache = new SecretCache(clock, false);
        cache.watch(SecretNames.DEFAULT, (n, v) -> pushes.add(n));
        cache.watch(SecretNames.ROOTCA, (n, v) -> pushes.add(n));
    }

    private Rotator rotator(Duration ttl, RetryPolicy retry) {
        CertificateRequester requester = new CertificateRequester(ca, ID, KeyAlgorithm.EC_P256, ttl, clock);
        return new Rotator(requester::request, cache, new RotationPolicy(0.5, 0.01), retry, scheduler, clock,
                new SplittableRandom(7), RotationObserver.NONE);
    }

    @Test
    void start_shortTtl_getsOneCertificateAndDoesNotLoop() {
        Rotator r = rotator(Duration.ofSeconds(60), RetryPolicy.DEFAULT);
        r.start();
        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(ca.calls()).isEqualTo(1);
        assertThat(cache.ready()).isTrue();
        assertThat(pushes).containsExactly(SecretNames.ROOTCA, SecretNames.DEFAULT);
        // The backdated NotBefore (2 min) would make a NotBefore-based rule due at once; nothing is due now.
        assertThat(scheduler.runDue()).isZero();
        Held held = cache.held().orElseThrow();
        assertThat(Duration.between(clock.instant(), held.rotateAt())).isBetween(Duration.ofMillis(29_400),
                Duration.ofMillis(30_600));
        scheduler.advance(Duration.ofSeconds(29));
        assertThat(ca.calls()).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(ca.calls()).isEqualTo(2);
        // 10 minutes of 60 s certificates: about 20 renewals, not thousands.
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(ca.calls()).isBetween(20, 23);
    }

    @Test
    void rotation_newCertificate_hasANewKeyAndPushesDefaultButNotUnchangedRoots() {
        Rotator r = rotator(Duration.ofHours(1), RetryPolicy.DEFAULT);
        r.start();
        scheduler.runDue();
        IssuedCertificate first = cache.held().orElseThrow().certificate();
        pushes.clear();
        scheduler.advance(Duration.ofMinutes(31));
        IssuedCertificate second = cache.held().orElseThrow().certificate();
        assertThat(second.serialHex()).isNotEqualTo(first.serialHex());
        assertThat(second.key().getEncoded()).isNotEqualTo(first.key().getEncoded());
        assertThat(pushes).containsExactly(SecretNames.DEFAULT);
        TlsCertificate served = (TlsCertificate) cache.current(SecretNames.DEFAULT).orElseThrow();
        assertThat(served.chain().get(0)).isEqualTo(second.leaf());
    }

    @Test
    void rotation_caSwitchesToANewRoot_pushesRootcaAtOnce() {
        Rotator r = rotator(Duration.ofHours(1), RetryPolicy.DEFAULT);
        r.start();
        scheduler.runDue();
        var newRoot = dev.meshid.pki.testing.TestPki.root("New Root").at(clock).build();
        ca.signWith(newRoot.intermediate("New Intermediate").build());
        pushes.clear();
        r.rotateNow();
        scheduler.runDue();
        assertThat(pushes).containsExactly(SecretNames.ROOTCA, SecretNames.DEFAULT);
        TrustBundle roots = (TrustBundle) cache.current(SecretNames.ROOTCA).orElseThrow();
        assertThat(roots.certificates()).containsExactly(newRoot.cert());
    }

    @Test
    void outage_longerThanHalfTheLifetime_keepsServingBacksOffAndRecovers() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), 2, 0.2);
        Rotator r = rotator(Duration.ofHours(1), new RetryPolicy(backoff));
        r.start();
        scheduler.runDue();
        IssuedCertificate good = cache.held().orElseThrow().certificate();
        ca.down(true);
        int before = ca.calls();
        // Renewal falls due at ~30 min; the CA stays down for 20 more minutes (past 75% of the lifetime).
        scheduler.advance(Duration.ofMinutes(50));
        int attempts = ca.calls() - before;
        // Capped exponential backoff: ~1+2+4+...+120 s then every ~2 min, so ~15-20 attempts in 20 min, not 1000s.
        assertThat(attempts).isBetween(8, 25);
        assertThat(r.consecutiveFailures()).isEqualTo(attempts);
        assertThat(cache.ready()).isTrue();
        assertThat(((TlsCertificate) cache.current(SecretNames.DEFAULT).orElseThrow()).chain().get(0))
                .isEqualTo(good.leaf());
        ca.down(false);
        scheduler.advance(Duration.ofMinutes(3));
        assertThat(r.consecutiveFailures()).isZero();
        assertThat(cache.held().orElseThrow().certificate().serialHex()).isNotEqualTo(good.serialHex());
        assertThat(cache.ready()).isTrue();
    }

    @Test
    void outage_pastExpiry_reportsExpiredAndStopsOfferingTheCertificateToNewStreams() {
        Rotator r = rotator(Duration.ofMinutes(10), new RetryPolicy(new Backoff(Duration.ofSeconds(1),
                Duration.ofMinutes(1), 2, 0.2)));
        r.start();
        scheduler.runDue();
        ca.down(true);
        scheduler.advance(Duration.ofMinutes(11));
        assertThat(cache.expired()).isTrue();
        assertThat(cache.ready()).isFalse();
        assertThat(cache.current(SecretNames.DEFAULT)).isEmpty();
        assertThat(cache.current(SecretNames.ROOTCA)).isPresent();
        ca.down(false);
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(cache.ready()).isTrue();
        assertThat(cache.current(SecretNames.DEFAULT)).isPresent();
    }

    @Test
    void close_pendingRotation_isCancelled() {
        Rotator r = rotator(Duration.ofHours(1), RetryPolicy.DEFAULT);
        r.start();
        scheduler.runDue();
        r.close();
        scheduler.advance(Duration.ofHours(2));
        assertThat(ca.calls()).isEqualTo(1);
    }
}
