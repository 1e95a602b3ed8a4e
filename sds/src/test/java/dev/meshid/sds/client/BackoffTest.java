package dev.meshid.sds.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Backoff NO_JITTER = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0);

  @Test
  void delay_growsByTheMultiplier_andStopsAtTheMax() {
    RandomGenerator unused = () -> {
      throw new AssertionError("no jitter, no draw");
    };

    assertThat(NO_JITTER.delay(0, unused)).isEqualTo(Duration.ofMillis(100));
    assertThat(NO_JITTER.delay(3, unused)).isEqualTo(Duration.ofMillis(800));
    assertThat(NO_JITTER.delay(4, unused)).isEqualTo(Duration.ofSeconds(1));
    assertThat(NO_JITTER.delay(1000, unused)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void delay_staysWithinTheJitterBand_andVaries() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 0.2);
    SplittableRandom random = new SplittableRandom(7);

    var delays = java.util.stream.IntStream.range(0, 200).mapToObj(i -> backoff.delay(0, random)).toList();

    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200)));
    assertThat(delays.stream().distinct().count()).isGreaterThan(100);
  }

  @Test
  void invalidSettings_areRejected() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2.0, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
