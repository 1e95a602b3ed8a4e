package dev.meshid.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits for the children's readiness endpoints, all at once, printing a dot a second so the wait is visible, and
 * reports one step per child: ready after how long, or why not (not ready in time, or exited, with its log).
 */
final class Readiness {
    /** A child and the port of its {@code /healthz/ready}. */
    record Probe(Child child, int port) {
    }

    private Readiness() {
    }

    static void await(List<Probe> probes, Duration limit, PrintWriter out, StepRunner steps)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Map<Probe, Duration> readyAfter = new LinkedHashMap<>();
        Map<Probe, String> last = new LinkedHashMap<>();
        out.print("starting " + String.join(", ", probes.stream().map(p -> p.child().name()).toList()) + " ");
        out.flush();
        long nextDot = start + 1_000_000_000L;
        while (System.nanoTime() < deadline && readyAfter.size() < probes.size()
                && probes.stream().allMatch(p -> p.child().alive() || readyAfter.containsKey(p))) {
            for (Probe p : probes) {
                if (!readyAfter.containsKey(p)) {
                    String status = status(p.port());
                    last.put(p, status);
                    if (status.startsWith("200")) {
                        readyAfter.put(p, Duration.ofNanos(System.nanoTime() - start));
                    }
                }
            }
            if (System.nanoTime() > nextDot) {
                out.print('.');
                out.flush();
                nextDot += 1_000_000_000L;
            }
            Thread.sleep(150); // polling interval: the children come up on their own time, not the demo's
        }
        out.println();
        String exited = probes.stream().filter(p -> !p.child().alive() && !readyAfter.containsKey(p))
                .map(p -> p.child().name()).findFirst().orElse(null);
        String waited = String.format("%.1fs", (System.nanoTime() - start) / 1e9);
        for (Probe p : probes) {
            Duration after = readyAfter.get(p);
            boolean exitedItself = !p.child().alive() && after == null;
            // When another child died, a live one was only cut short: say so, and do not blame its log.
            List<Child> blame = after == null && (exitedItself || exited == null) ? List.of(p.child()) : List.of();
            steps.run(p.child().name() + " ready", blame, () -> after != null
                    ? Observation.pass("/healthz/ready 200 on 127.0.0.1:" + p.port() + " after "
                            + String.format("%.1fs", after.toMillis() / 1000.0))
                    : Observation.fail(exitedItself ? "exited with code " + p.child().process().exitValue()
                            : exited != null ? "not ready yet when " + exited + " exited (after " + waited + ")"
                            : "not ready within " + limit.toSeconds() + "s; last answer: " + last.getOrDefault(p, "none")));
        }
    }

    private static String status(int port) {
        try {
            RawHttp.Response r = RawHttp.send(Topology.loopback(port), "GET", "127.0.0.1", "/healthz/ready", null,
                    Duration.ofSeconds(1));
            return r.summary();
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
