package dev.meshid.agent.admin;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces {@link AdminLimits} on the JDK's HTTP server without its JVM-wide system properties. The server reads
 * a request head on an executor thread, in a blocking read on the connection's channel; this executor starts a
 * deadline for every such task, and the {@link #filter()} (the first code to run once the head is in) stops it.
 * A task still reading at the deadline has its thread interrupted, which closes the channel (an interruptible
 * channel closes on interrupt) and so drops the slow client. The filter also refuses an oversized head with 431.
 */
final class HeadGuard implements Executor {
    private final AdminLimits limits;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final ThreadLocal<Watch> current = new ThreadLocal<>();
    private final AtomicLong dropped = new AtomicLong();

    HeadGuard(AdminLimits limits, ExecutorService workers, ScheduledExecutorService timer) {
        this.limits = limits;
        this.workers = workers;
        this.timer = timer;
    }

    @Override
    public void execute(Runnable exchange) {
        workers.execute(() -> run(exchange));
    }

    private void run(Runnable exchange) {
        Watch watch = new Watch(Thread.currentThread());
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            if (watch.cut()) {
                dropped.incrementAndGet();
            }
        }, limits.headTimeout().toNanos(), TimeUnit.NANOSECONDS);
        current.set(watch);
        try {
            exchange.run();
        } finally {
            deadline.cancel(false);
            current.remove();
            watch.finish();
            // A cut that landed after the exchange ended must not interrupt the next one on this thread.
            Thread.interrupted();
        }
    }

    /** Connections dropped because their head took longer than the limit. */
    long dropped() {
        return dropped.get();
    }

    /** The filter to put first on every context: ends the deadline, refuses an oversized head. */
    Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange ex, Chain chain) throws IOException {
                Watch watch = current.get();
                if (watch != null && !watch.headRead()) {
                    ex.close();
                    return;
                }
                if (headBytes(ex) > limits.maxHeadBytes()) {
                    try (ex) {
                        ex.getResponseHeaders().set("Connection", "close");
                        ex.sendResponseHeaders(431, -1);
                    }
                    return;
                }
                chain.doFilter(ex);
            }

            @Override
            public String description() {
                return "request head limits";
            }
        };
    }

    /** The head's size as sent, near enough: request line, and each header line with ": " and CRLF. */
    private static long headBytes(HttpExchange ex) {
        long n = ex.getRequestMethod().length() + ex.getRequestURI().toString().length()
                + ex.getProtocol().length() + 4;
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            for (String v : h.getValue()) {
                n += h.getKey().length() + v.length() + 4;
            }
        }
        return n;
    }

    /** One task's deadline: reading the head, then handling it, or cut off; the lock orders cut and finish. */
    private static final class Watch {
        private final Thread worker;
        private boolean reading = true;
        private boolean cut;

        Watch(Thread worker) {
            this.worker = worker;
        }

        synchronized boolean headRead() {
            reading = false;
            return !cut;
        }

        synchronized boolean cut() {
            if (!reading) {
                return false;
            }
            reading = false;
            cut = true;
            worker.interrupt();
            return true;
        }

        synchronized void finish() {
            reading = false;
        }
    }
}
