package dev.meshid.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.ca.Backoff;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.SecretCache;
import dev.meshid.agent.testing.Certs;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.api.bundle.v1.BundleAck;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.sds.secret.SecretNames;
import dev.meshid.sds.server.AckStatus;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watcher's protocol with a fake stream, a fake clock and a manual scheduler: no real time passes. */
class BundleWatcherTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web");
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, 0.2);
    private final FakeClock clock = FakeClock.startingNow();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final TestPki.Issued rootA = TestPki.root("Root A").build();
    private final TestPki.Issued rootB = TestPki.root("Root B").build();
    private final SecretCache cache = new SecretCache(clock, false);
    private final FakeBundleStream stream = new FakeBundleStream();
    private final AtomicReference<AckStatus> sds = new AtomicReference<>(new AckStatus(0, 0));
    private final List<String> applied = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private BundleWatcher watcher;

    @BeforeEach
    void setUp() {
        IssuedCertificate fromA = Certs.issue(rootA.intermediate("Int A").build(), ID, Duration.ofHours(1), clock);
        cache.accept(fromA, clock.instant().plus(Duration.ofMinutes(30)));
        BundleObserver observer = new BundleObserver() {
            @Override
            public void onApplied(AppliedBundle bundle) {
                applied.add(bundle.version());
            }

            @Override
            public void onRejected(String reason) {
                rejected.add(reason);
            }
        };
        watcher = new BundleWatcher(stream, cache, value -> sds.get(), observer, BACKOFF, scheduler, clock,
                new SplittableRandom(7), Duration.ofSeconds(5));
        watcher.start();
        scheduler.runDue();
    }

    @AfterEach
    void tearDown() {
        watcher.close();
    }

    private static TrustBundle bundle(String version, TestPki.Issued... roots) {
        TrustBundle.Builder b = TrustBundle.newBuilder().setVersion(version);
        for (TestPki.Issued r : roots) {
            b.addRootsPem(Pem.write(r.cert()));
        }
        return b.build();
    }

    private void deliver(TrustBundle b) {
        stream.last().onNext(b);
        scheduler.runDue();
    }

    @Test
    void bundle_isAppliedToSdsFilesAndCaTrust_andAckedOnceSdsClientsAcked() {
        sds.set(new AckStatus(2, 1));
        deliver(bundle("v-ab", rootA, rootB));

        assertThat(((dev.meshid.sds.secret.TrustBundle) cache.current(SecretNames.ROOTCA).orElseThrow()).rootsPem())
                .asString().isEqualTo(Pem.write(List.of(rootA.cert(), rootB.cert())));
        assertThat(cache.held().orElseThrow().certificate().roots()).containsExactly(rootA.cert(), rootB.cert());
        assertThat(stream.trusted).containsExactly(rootA.cert(), rootB.cert());
        assertThat(applied).containsExactly("v-ab");
        assertThat(stream.acks).as("no ack while an SDS client has not ACKed").isEmpty();
        assertThat(watcher.state()).isEqualTo(WatchState.CONNECTED);

        sds.set(new AckStatus(2, 2));
        scheduler.advance(Duration.ofMillis(20));

        assertThat(stream.acks).containsExactly(BundleAck.newBuilder().setVersion("v-ab").build());
    }

    @Test
    void bundle_sdsClientsNeverAck_isAckedAfterTheBoundedWait() {
        sds.set(new AckStatus(1, 0));
        deliver(bundle("v-ab", rootA, rootB));
        scheduler.advance(Duration.ofMillis(4900));
        assertThat(stream.acks).isEmpty();

        scheduler.advance(Duration.ofMillis(200));

        assertThat(stream.acks).extracting(BundleAck::getVersion).containsExactly("v-ab");
        assertThat(stream.acks.get(0).getError()).isEmpty();
    }

    @Test
    void bundle_withoutTheCurrentRoot_isRefusedInTheAck_andTheLastGoodStays() {
        deliver(bundle("v-ab", rootA, rootB));
        deliver(bundle("v-b", rootB));

        assertThat(stream.acks).extracting(BundleAck::getVersion).containsExactly("v-ab", "v-b");
        assertThat(stream.acks.get(1).getError()).contains("does not hold the root that issued");
        assertThat(rejected).hasSize(1);
        assertThat(cache.held().orElseThrow().certificate().roots()).containsExactly(rootA.cert(), rootB.cert());
        assertThat(cache.streamBundle().orElseThrow().version()).isEqualTo("v-ab");
    }

    @Test
    void streamEnds_reconnectsWithGrowingJitteredBackoff_andResetsAfterABundle() {
        stream.last().onError(Status.UNAVAILABLE.asRuntimeException());
        scheduler.runDue();
        assertThat(watcher.state()).isEqualTo(WatchState.RETRYING);
        Duration first = java.time.Duration.between(clock.instant(), scheduler.nextDue().orElseThrow());
        scheduler.advance(first);
        assertThat(stream.opened).hasSize(2);

        stream.last().onError(Status.UNAVAILABLE.asRuntimeException());
        scheduler.runDue();
        Duration second = java.time.Duration.between(clock.instant(), scheduler.nextDue().orElseThrow());

        assertThat(first).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(second).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        scheduler.advance(second);
        assertThat(stream.opened).hasSize(3);
        deliver(bundle("v-a", rootA));
        stream.last().onCompleted();
        scheduler.runDue();
        Duration afterSuccess = java.time.Duration.between(clock.instant(), scheduler.nextDue().orElseThrow());
        assertThat(afterSuccess).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
    }

    @Test
    void reconnect_resentBundleIsAckedAgain_butNotCountedAsAnUpdate() {
        deliver(bundle("v-ab", rootA, rootB));
        stream.last().onError(Status.UNAVAILABLE.asRuntimeException());
        scheduler.runDue();
        scheduler.advance(Duration.between(clock.instant(), scheduler.nextDue().orElseThrow()));

        deliver(bundle("v-ab", rootA, rootB));

        assertThat(stream.opened).hasSize(2);
        assertThat(stream.acks).extracting(BundleAck::getVersion).containsExactly("v-ab", "v-ab");
        assertThat(applied).containsExactly("v-ab");
        assertThat(watcher.state()).isEqualTo(WatchState.CONNECTED);
    }

    @Test
    void unimplemented_fallsBackAndAsksAgainOnlyAtTheCap() {
        stream.last().onError(Status.UNIMPLEMENTED.asRuntimeException());
        scheduler.runDue();

        assertThat(watcher.state()).isEqualTo(WatchState.UNSUPPORTED);
        assertThat(scheduler.nextDue().orElseThrow()).isEqualTo(clock.instant().plus(BACKOFF.max()));
        scheduler.advance(BACKOFF.max());
        assertThat(stream.opened).hasSize(2);
        assertThat(watcher.state()).isEqualTo(WatchState.UNSUPPORTED);
    }

    @Test
    void streamLost_keepsTheBundleUntilTheNextCaAnswer_thenTheAnswerWins() {
        deliver(bundle("v-ab", rootA, rootB));
        stream.last().onError(Status.UNAVAILABLE.asRuntimeException());
        scheduler.runDue();
        assertThat(cache.held().orElseThrow().certificate().roots()).containsExactly(rootA.cert(), rootB.cert());

        cache.accept(Certs.issue(rootA.intermediate("Int A2").build(), ID, Duration.ofHours(1), clock),
                clock.instant().plus(Duration.ofMinutes(30)));

        assertThat(cache.held().orElseThrow().certificate().roots()).containsExactly(rootA.cert());
    }

    @Test
    void newerBundleWhileWaitingForSds_acksTheOlderOneFirst() {
        sds.set(new AckStatus(1, 0));
        deliver(bundle("v-ab", rootA, rootB));
        deliver(bundle("v-a", rootA));

        assertThat(stream.acks).extracting(BundleAck::getVersion).containsExactly("v-ab");
        sds.set(new AckStatus(1, 1));
        scheduler.advance(Duration.ofMillis(20));
        assertThat(stream.acks).extracting(BundleAck::getVersion).containsExactly("v-ab", "v-a");
    }
}
