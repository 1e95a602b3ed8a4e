package dev.meshid.agent.testing;

import dev.meshid.pki.testing.FakeClock;
import dev.meshid.sds.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Scheduler} driven by a {@link FakeClock}: tasks run only when the test calls {@link #runDue()} or
 * {@link #advance}, in due order, on the test's thread.
 */
public final class ManualScheduler implements Scheduler {
    private final FakeClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private long sequence;

    private record Task(Instant due, long seq, Runnable run, boolean[] cancelled) {
    }

    public ManualScheduler(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(clock.instant().plus(delay), sequence++, task, cancelled));
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Runs every task due now (including tasks they schedule for now); returns how many ran. */
    public int runDue() {
        int ran = 0;
        Optional<Task> next;
        while ((next = takeDue(clock.instant())).isPresent()) {
            next.get().run().run();
            ran++;
        }
        return ran;
    }

    /** Moves the clock forward by {@code d}, stopping at each due task to run it at its own time. */
    public int advance(Duration d) {
        Instant end = clock.instant().plus(d);
        int ran = 0;
        while (true) {
            Optional<Instant> due = nextDue();
            if (due.isEmpty() || due.get().isAfter(end)) {
                break;
            }
            if (due.get().isAfter(clock.instant())) {
                clock.setInstant(due.get());
            }
            ran += runDue();
        }
        clock.setInstant(end);
        return ran + runDue();
    }

    /** When the next live task is due. */
    public synchronized Optional<Instant> nextDue() {
        tasks.removeIf(t -> t.cancelled()[0]);
        return tasks.stream().min(Comparator.comparing(Task::due).thenComparing(Task::seq)).map(Task::due);
    }

    /** Live tasks waiting. */
    public synchronized int pending() {
        tasks.removeIf(t -> t.cancelled()[0]);
        return tasks.size();
    }

    private synchronized Optional<Task> takeDue(Instant now) {
        tasks.removeIf(t -> t.cancelled()[0]);
        Optional<Task> t = tasks.stream().filter(x -> !x.due().isAfter(now))
                .min(Comparator.comparing(Task::due).thenComparing(Task::seq));
        t.ifPresent(tasks::remove);
        return t;
    }
}
