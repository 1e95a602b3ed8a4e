package dev.meshid.demo;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests sent one after another, in the background, until stopped: {@code GET path} with {@code Host: host}
 * through productpage's outbound listener. Counts them and keeps the first failure.
 */
final class Traffic {
    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile boolean running = true;

    private Traffic(InetSocketAddress target, String host, String path) {
        thread = new Thread(() -> {
            while (running) {
                String failure;
                try {
                    RawHttp.Response r = RawHttp.send(target, "GET", host, path, null, Duration.ofSeconds(10));
                    failure = r.status() == 200 ? null : r.summary();
                } catch (java.io.IOException e) {
                    failure = e.getMessage();
                }
                sent.incrementAndGet();
                if (failure != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, failure);
                }
                try {
                    Thread.sleep(25); // a steady stream, not a load test: leave the 2 cores to the mesh
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "demo-traffic");
        thread.setDaemon(true);
    }

    static Traffic start(InetSocketAddress target, String host, String path) {
        Traffic t = new Traffic(target, host, path);
        t.thread.start();
        return t;
    }

    int sent() {
        return sent.get();
    }

    int failed() {
        return failed.get();
    }

    String firstFailure() {
        return firstFailure.get();
    }

    /** Stops after the request in flight; safe to call twice. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(15_000);
    }
}
