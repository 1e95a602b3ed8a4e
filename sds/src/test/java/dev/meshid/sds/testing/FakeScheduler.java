package dev.meshid.sds.testing;

import dev.meshid.sds.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} on virtual time: tasks run only when the test calls {@link #advance}, in
 * due-time order, on the test's thread. Tasks scheduled while advancing run too if they fall due.
 */
public final class FakeScheduler implements Scheduler {

  private record Task(long dueNanos, long seq, Runnable body) {}

  private final List<Task> tasks = new ArrayList<>();
  private long nowNanos;
  private long seq;

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(nowNanos + delay.toNanos(), seq++, task);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  /** Moves virtual time forward by {@code by}, running every task that falls due. */
  public void advance(Duration by) {
    long target;
    synchronized (this) {
      target = nowNanos + by.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream()
            .filter(t -> t.dueNanos() <= target)
            .min(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::seq))
            .orElse(null);
        if (next == null) {
          nowNanos = target;
          return;
        }
        tasks.remove(next);
        nowNanos = next.dueNanos();
      }
      next.body().run();
    }
  }

  /** Tasks scheduled and not yet run or cancelled. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /** Delays of pending tasks from now, in due order. */
  public synchronized List<Duration> pendingDelays() {
    return tasks.stream().sorted(Comparator.comparingLong(Task::dueNanos))
        .map(t -> Duration.ofNanos(t.dueNanos() - nowNanos)).toList();
  }
}
