package dev.meshid.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's child processes. {@link #close()} ends every one of them and everything they started: politely
 * first (SIGTERM, so the servers run their shutdown hooks and remove their sockets), then forcibly. Safe to call
 * more than once and from a shutdown hook.
 */
public final class Children implements AutoCloseable {
    /** Environment names the demo sets itself, or that would point a child at a real cluster. */
    private static final List<String> SCRUBBED = List.of("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
            "CA_ADDR", "TRUST_DOMAIN", "POD_NAMESPACE", "SERVICE_ACCOUNT", "OUTPUT_CERTS", "SECRET_TTL",
            "JAVA_TOOL_OPTIONS");

    private final Launcher launcher;
    private final List<Child> started = new ArrayList<>();
    private boolean closed;

    public Children(Launcher launcher) {
        this.launcher = launcher;
    }

    /**
     * Starts {@code program} with {@code args} and extra environment, output to {@code log}. The environment
     * is the demo's own, without meshid's and Istio's settings, plus {@code env}.
     */
    public synchronized Child start(String name, Program program, List<String> args, Map<String, String> env,
            Path log) throws IOException {
        if (closed) {
            throw new IOException("not starting " + name + ": the demo is shutting down");
        }
        ProcessBuilder pb = new ProcessBuilder(launcher.command(program, args))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> SCRUBBED.contains(k) || k.startsWith("MESHID_"));
        program.launcherEnvironment().forEach(childEnv::putIfAbsent);
        childEnv.putAll(env);
        Child child = new Child(name, pb.start(), log);
        started.add(child);
        return child;
    }

    /** The children started so far, in order. */
    public synchronized List<Child> all() {
        return List.copyOf(started);
    }

    /** {@code ca 4.1s, agent/x 1.9s, ...}: CPU time each child has used so far (where the OS reports it). */
    public synchronized String cpuTimes() {
        return String.join(", ", started.stream().map(c -> c.name() + " " + c.process().info().totalCpuDuration()
                .map(d -> String.format("%.1fs", d.toMillis() / 1000.0)).orElse("?")).toList());
    }

    @Override
    public synchronized void close() {
        closed = true;
        List<ProcessHandle> handles = new ArrayList<>();
        for (Child c : started) {
            ProcessHandle h = c.process().toHandle();
            h.descendants().forEach(handles::add);
            handles.add(h);
        }
        handles.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle h : handles) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still running: ended forcibly below
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }
}
