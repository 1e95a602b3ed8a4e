package dev.meshid.sds;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thing this module needs from a timer: run a task once after a delay.
 *
 * <p>Everything in the module that waits (client reconnect backoff, file polling) goes through this
 * interface so that tests can drive time with a fake instead of sleeping on the wall clock.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} once, no earlier than {@code delay} from now.
   *
   * @return a handle that cancels the task if it has not started yet
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that may still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run yet; has no effect otherwise. */
    void cancel();
  }

  /** Adapts a JDK executor; the caller keeps ownership of (and shuts down) the executor. */
  static Scheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (delay, task) -> {
      ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }
}
