package dev.meshid.certs;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * What the certs commands take from the outside world: the clock that decides validity windows and time
 * left, and the randomness serial numbers come from. Tests pass a fixed or fake clock.
 *
 * @param clock the time source
 * @param random where serial numbers come from
 */
public record CertsContext(Clock clock, SecureRandom random) {

    public CertsContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }

    /** The system clock (UTC) and a fresh {@link SecureRandom}. */
    public static CertsContext system() {
        return new CertsContext(Clock.systemUTC(), new SecureRandom());
    }
}
