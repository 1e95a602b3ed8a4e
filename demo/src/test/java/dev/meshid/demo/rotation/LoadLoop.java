package dev.meshid.demo.rotation;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one kind of attempt back to back on its own thread until stopped, counting attempts and failures and
 * keeping the first few failure messages for the report.
 */
final class LoadLoop implements AutoCloseable {
    /** One attempt: empty when it succeeded, else what went wrong. */
    @FunctionalInterface
    interface Attempt {
        Optional<String> run() throws Exception;
    }

    private final String name;
    private final Attempt attempt;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    LoadLoop(String name, Attempt attempt) {
        this.name = name;
        this.attempt = attempt;
        this.thread = new Thread(this::loop, "load-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            Optional<String> problem;
            try {
                problem = attempt.run();
            } catch (Exception e) {
                problem = Optional.of(e.toString());
            }
            sent.incrementAndGet();
            if (problem.isPresent()) {
                failed.incrementAndGet();
                if (failures.size() < 5) {
                    failures.add(problem.get());
                }
            }
        }
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** {@code name: N sent, M failed}. */
    String summary() {
        return name + ": " + sent() + " sent, " + failed() + " failed" + (failures.isEmpty() ? "" : " " + failures);
    }

    /** Stops after the attempt in progress. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
