package dev.meshid.sds.protocol;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nonces unique within a server instance: a prefix fixed at start (the start time in base 36, so a
 * restarted server does not reuse the nonces of the previous one) and a counter.
 */
public final class NonceGenerator {

  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  /** Uses the clock's current time as the prefix. */
  public NonceGenerator(Clock clock) {
    this(Long.toString(clock.millis(), 36));
  }

  /** Uses a fixed prefix; tests use this for readable nonces. */
  public NonceGenerator(String prefix) {
    this.prefix = prefix;
  }

  /** A nonce never returned before by this instance. */
  public String next() {
    return prefix + "-" + counter.incrementAndGet();
  }
}
