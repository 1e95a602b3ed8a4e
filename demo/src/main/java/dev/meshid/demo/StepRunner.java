package dev.meshid.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the demo's steps one after another and prints one line per step: {@code [ok]} or {@code [FAIL]}, what was
 * checked and the value observed. A failing step also prints the last lines of the logs of the components it
 * names. The exit code is 0 only if every step passed.
 */
public final class StepRunner {
    static final int LOG_LINES = 15;

    /** One check. */
    @FunctionalInterface
    public interface Check {
        Observation run() throws Exception;
    }

    /** A step's outcome. */
    public record Result(String name, boolean ok, String observed, Duration took) {
    }

    private final PrintWriter out;
    private final List<Result> results = new ArrayList<>();

    public StepRunner(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Runs {@code check} as the step {@code name}; on failure shows the logs of {@code blame}. */
    public Result run(String name, List<Child> blame, Check check) {
        long start = System.nanoTime();
        Observation o;
        try {
            o = check.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o = Observation.fail("interrupted");
        } catch (Exception e) {
            o = Observation.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Result r = new Result(name, o.ok(), o.observed(), Duration.ofNanos(System.nanoTime() - start));
        results.add(r);
        out.printf("%-6s %s: %s (%.1fs)%n", r.ok() ? "[ok]" : "[FAIL]", name, r.observed(),
                r.took().toMillis() / 1000.0);
        if (!r.ok()) {
            for (Child c : blame) {
                out.println("       last lines of " + c.name() + " (" + c.log() + "):");
                List<String> tail = c.tail(LOG_LINES);
                if (tail.isEmpty()) {
                    out.println("         | (no output)");
                }
                tail.forEach(line -> out.println("         | " + line));
            }
        }
        out.flush();
        return r;
    }

    /** Every step run so far. */
    public List<Result> results() {
        return List.copyOf(results);
    }

    /** The failed steps. */
    public List<Result> failures() {
        return results.stream().filter(r -> !r.ok()).toList();
    }

    /** 0 if every step passed (and at least one ran), else 1. */
    public int exitCode() {
        return !results.isEmpty() && failures().isEmpty() ? 0 : 1;
    }

    /** The closing line: all passed, or which steps failed. */
    public String summary() {
        List<Result> failed = failures();
        if (results.isEmpty()) {
            return "no steps ran";
        }
        if (failed.isEmpty()) {
            return "all " + results.size() + " steps passed";
        }
        return failed.size() + " of " + results.size() + " steps failed: "
                + String.join("; ", failed.stream().map(Result::name).toList());
    }
}
