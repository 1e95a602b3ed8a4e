package dev.meshid.ca.api;

import dev.meshid.ca.CaException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Bounded admission of blocking work: at most {@code maxInFlight} calls queued or running on the pool; beyond
 * that a call fails at once with {@link CaException.Kind#OVERLOADED}, so the client gets RESOURCE_EXHAUSTED
 * quickly instead of a timeout, and the CA's latency stays bounded under a burst. Results are delivered on the
 * caller's Vert.x context.
 */
public final class Admission {
    private final Semaphore slots;
    private final int maxInFlight;
    private final ExecutorService pool;
    private final Runnable onRefused;

    public Admission(int maxInFlight, ExecutorService pool) {
        this(maxInFlight, pool, () -> { });
    }

    /**
     * @param onRefused called for every call refused for lack of room; such calls never reach the service,
     *     so this is where they are counted
     */
    public Admission(int maxInFlight, ExecutorService pool, Runnable onRefused) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
        this.pool = Objects.requireNonNull(pool, "pool");
        this.onRefused = Objects.requireNonNull(onRefused, "onRefused");
    }

    /** Calls admitted and not yet finished. */
    public int inFlight() {
        return maxInFlight - slots.availablePermits();
    }

    /** Runs {@code work} on the pool if there is room, completing the future on {@code context}. */
    public <T> Future<T> submit(Context context, Callable<T> work) {
        if (!slots.tryAcquire()) {
            onRefused.run();
            return Future.failedFuture(new CaException(CaException.Kind.OVERLOADED, "the CA is busy ("
                    + maxInFlight + " requests in flight); retry with backoff"));
        }
        Promise<T> promise = Promise.promise();
        try {
            pool.execute(() -> {
                T result = null;
                Throwable failure = null;
                try {
                    result = work.call();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    slots.release();
                }
                T r = result;
                Throwable f = failure;
                context.runOnContext(v -> {
                    if (f == null) {
                        promise.complete(r);
                    } else {
                        promise.fail(f);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            onRefused.run();
            return Future.failedFuture(new CaException(CaException.Kind.OVERLOADED, "the CA is shutting down or busy; retry"));
        }
        return promise.future();
    }
}
