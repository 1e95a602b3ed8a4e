package dev.meshid.ca.keysource;

import dev.meshid.pki.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: tasks become due on a {@link FakeClock}
 * and run, on the test's thread, when the test calls {@link #runDue()} or {@link #advance}. Periodic tasks
 * are rescheduled from the time they ran (fixed delay and fixed rate alike, which is enough for tests).
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final FakeClock clock;
    private final List<Task<?>> tasks = new ArrayList<>();
    private long sequence;
    private boolean shutdown;

    public ManualScheduler(FakeClock clock) {
        this.clock = clock;
    }

    /** Runs every task due now (including ones that become due while running), in due order. */
    public void runDue() {
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due.isAfter(clock.instant()))
                        .min(Comparator.comparing((Task<?> t) -> t.due).thenComparingLong(t -> t.seq)).orElse(null);
                if (next == null) {
                    return;
                }
                tasks.remove(next);
            }
            next.runOnce();
        }
    }

    /** Moves the clock forward and runs what became due. */
    public void advance(Duration d) {
        clock.advance(d);
        runDue();
    }

    public synchronized int pending() {
        return (int) tasks.stream().filter(t -> !t.isCancelled()).count();
    }

    private synchronized <V> Task<V> add(Callable<V> c, long delayMillis, long periodMillis) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("scheduler is shut down");
        }
        Task<V> t = new Task<>(c, clock.instant().plusMillis(delayMillis), periodMillis, sequence++);
        tasks.add(t);
        return t;
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private Instant due;
        private final long periodMillis;
        private final long seq;

        Task(Callable<V> c, Instant due, long periodMillis, long seq) {
            super(c);
            this.due = due;
            this.periodMillis = periodMillis;
            this.seq = seq;
        }

        void runOnce() {
            if (periodMillis <= 0) {
                run();
            } else if (runAndReset() && !isCancelled()) {
                synchronized (ManualScheduler.this) {
                    due = clock.instant().plusMillis(periodMillis);
                    tasks.add(this);
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            synchronized (ManualScheduler.this) {
                tasks.remove(this);
            }
            return super.cancel(mayInterrupt);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, unit.toMillis(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, unit.toMillis(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduleWithFixedDelay(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, unit.toMillis(initialDelay), Math.max(1, unit.toMillis(delay)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> out = new ArrayList<>(tasks);
        tasks.clear();
        return out;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && tasks.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
