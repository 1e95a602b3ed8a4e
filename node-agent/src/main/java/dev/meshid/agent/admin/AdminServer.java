package dev.meshid.agent.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.meshid.agent.bundle.AppliedBundle;
import dev.meshid.agent.bundle.WatchState;
import dev.meshid.agent.cache.Held;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Admin HTTP on the JDK's built-in server (one thread, little memory): {@code /healthz/ready} (200 once a valid
 * certificate is held, 503 with the reason otherwise), {@code /metrics} (Prometheus text), {@code /debug/certs}
 * (JSON: the certificate, the roots served, the CA bundle stream's state, version and roots) and
 * {@code POST /debug/rotate} (a forced rotation: 202 with the serial being replaced, 409 when the
 * certificates come from mounted files). Bind it to loopback: it is not authenticated, and the rotation trigger
 * lets whoever reaches the port make the agent call the CA. {@link AdminLimits} bound the time and size of a
 * request head, so a slow or oversized client cannot hold the server.
 */
public final class AdminServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final HeadGuard guard;

    /**
     * What the admin endpoints read, and the rotation trigger.
     *
     * @param rotateNow schedules a rotation now; false if this agent does not rotate (mounted certificates)
     * @param bundle the state of the CA's bundle stream and the last bundle it delivered
     */
    public record Sources(Supplier<Optional<String>> notReadyReason, AgentMetrics metrics,
            Supplier<Optional<Held>> held, Supplier<Optional<String>> outputError, Clock clock,
            BooleanSupplier rotateNow, Supplier<BundleView> bundle) {
        public Sources {
            Objects.requireNonNull(bundle, "bundle");
            Objects.requireNonNull(notReadyReason, "notReadyReason");
            Objects.requireNonNull(rotateNow, "rotateNow");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(held, "held");
            Objects.requireNonNull(outputError, "outputError");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** The bundle stream as {@code /debug/certs} shows it. */
    public record BundleView(WatchState state, Optional<AppliedBundle> bundle) {
        public BundleView {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(bundle, "bundle");
        }
    }

    private AdminServer(HttpServer server, ExecutorService executor, ScheduledExecutorService timer,
            HeadGuard guard) {
        this.guard = guard;
        this.server = server;
        this.executor = executor;
        this.timer = timer;
    }

    /** Binds {@code address} (port 0 picks a free port) and starts serving with {@link AdminLimits#DEFAULTS}. */
    public static AdminServer start(InetSocketAddress address, Sources sources) throws IOException {
        return start(address, sources, AdminLimits.DEFAULTS);
    }

    /** Binds {@code address} (port 0 picks a free port) and starts serving within {@code limits}. */
    public static AdminServer start(InetSocketAddress address, Sources sources, AdminLimits limits)
            throws IOException {
        Objects.requireNonNull(limits, "limits");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newFixedThreadPool(limits.workers(), daemon("meshid-agent-admin"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                daemon("meshid-agent-admin-deadline"));
        HeadGuard guard = new HeadGuard(limits, executor, timer);
        server.setExecutor(guard);
        context(server, guard, "/healthz/ready", ex -> {
            Optional<String> reason = sources.notReadyReason().get();
            String body = reason.map(r -> "not ready: " + r + "\n").orElse("ready\n")
                    + sources.outputError().get().map(e -> "warning: " + e + "\n").orElse("");
            respond(ex, reason.isPresent() ? 503 : 200, "text/plain; charset=utf-8", body);
        });
        context(server, guard, "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                sources.metrics().scrape()));
        context(server, guard, "/debug/certs", ex -> respond(ex, 200, "application/json",
                DebugCerts.json(sources.held().get(), sources.clock().instant(), sources.outputError().get(),
                        sources.bundle().get())));
        context(server, guard, "/debug/rotate", ex -> rotate(ex, sources));
        server.start();
        return new AdminServer(server, executor, timer, guard);
    }

    private static void context(HttpServer server, HeadGuard guard, String path, HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(guard.filter());
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** POST only: a GET (a crawler, a browser prefetch) must never rotate a certificate. */
    private static void rotate(HttpExchange ex, Sources sources) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Optional<String> previous = sources.held().get().map(h -> h.certificate().serialHex());
            if (!sources.rotateNow().getAsBoolean()) {
                send(ex, 409, "application/json", "{\"error\":" + DebugCerts.quote("this agent serves mounted"
                        + " certificate files (FILE_MOUNTED_CERTS); replace the files to rotate") + "}\n");
                return;
            }
            send(ex, 202, "application/json", "{\"rotation\":\"scheduled\",\"previousSerial\":"
                    + previous.map(DebugCerts::quote).orElse("null") + "}\n");
        }
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            send(ex, status, type, body);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
        if (!"HEAD".equals(ex.getRequestMethod())) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The bound address (with the real port). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Connections dropped because their request head took longer than {@link AdminLimits#headTimeout()}. */
    public long headTimeouts() {
        return guard.dropped();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        timer.shutdownNow();
    }
}
