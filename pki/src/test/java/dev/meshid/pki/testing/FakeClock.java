package dev.meshid.pki.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it: {@link #advance} and {@link #setInstant}.
 * Clocks derived with {@link #withZone} share the same time.
 */
public final class FakeClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock standing at {@code start}, in UTC. */
    public static FakeClock at(Instant start) {
        return new FakeClock(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    /** A clock standing at an ISO-8601 instant such as {@code 2025-01-01T00:00:00Z}. */
    public static FakeClock at(String isoInstant) {
        return at(Instant.parse(isoInstant));
    }

    /**
     * A clock standing at the real current time, truncated to whole seconds (X.509 dates have second
     * precision). Use it when an outside program such as openssl checks validity against its own clock.
     */
    public static FakeClock startingNow() {
        return at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new FakeClock(now, newZone);
    }

    /** Moves time forward (or back, for a negative duration) and returns the new instant. */
    public Instant advance(Duration d) {
        return now.updateAndGet(i -> i.plus(d));
    }

    /** Sets the time. */
    public void setInstant(Instant instant) {
        now.set(instant);
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + "]";
    }
}
