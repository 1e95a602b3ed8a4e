package dev.meshid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.testing.Certs;
import dev.meshid.agent.testing.ManualScheduler;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeapSettleTest {
    private final FakeClock clock = FakeClock.startingNow();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final AtomicInteger collections = new AtomicInteger();
    private final HeapSettle settle = new HeapSettle(scheduler, Duration.ofSeconds(5), collections::incrementAndGet);

    @Test
    void onCertificate_first_collectsOnceAfterTheDelay() {
        settle.onCertificate(certificate(), true);

        scheduler.advance(Duration.ofSeconds(4));
        assertThat(collections).hasValue(0);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(collections).hasValue(1);
    }

    @Test
    void onCertificate_laterRotations_doNotCollectAgain() {
        IssuedCertificate cert = certificate();
        settle.onCertificate(cert, true);
        scheduler.advance(Duration.ofSeconds(5));

        settle.onCertificate(cert, false);
        settle.onCertificate(cert, true);
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(collections).hasValue(1);
        assertThat(scheduler.pending()).isZero();
    }

    private IssuedCertificate certificate() {
        TestPki.Issued ca = TestPki.root("Settle Root").at(clock).build();
        return Certs.issue(ca, SpiffeId.parse("spiffe://cluster.local/ns/default/sa/settle"), Duration.ofHours(1),
                clock);
    }
}
