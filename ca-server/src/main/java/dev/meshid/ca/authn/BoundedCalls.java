package dev.meshid.ca.authn;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking calls to the API server with a hard time bound, so a slow or hung API server turns into a
 * prompt UNAVAILABLE instead of a request that waits as long as the HTTP client does. The pool is bounded too:
 * when the API server is slow enough that calls pile up, new ones are refused at once rather than queued
 * without end.
 */
public final class BoundedCalls implements AutoCloseable {
    private final ExecutorService executor;

    /** Uses the given executor (its own bounds apply; rejection is reported as UNAVAILABLE). */
    public BoundedCalls(ExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** A pool of at most {@code threads} daemon threads and {@code queued} waiting calls. */
    public static BoundedCalls create(int threads, int queued) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queued), r -> {
                    Thread t = new Thread(r, "meshid-authn-call-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return new BoundedCalls(pool);
    }

    /** 16 threads, 256 waiting calls. */
    public static BoundedCalls create() {
        return create(16, 256);
    }

    /**
     * The result of {@code call}, or UNAVAILABLE (attributed to {@code authenticator}) when it fails, is refused
     * because too many calls are in flight, or has not finished within {@code timeout}; then it is cancelled.
     *
     * @param what the call, for the log, e.g. {@code "TokenReview"}
     */
    public <T> T call(String authenticator, String what, Duration timeout, Callable<T> call)
            throws AuthenticationException {
        Future<T> future;
        try {
            future = executor.submit(call);
        } catch (RejectedExecutionException e) {
            throw AuthenticationException.unavailable(authenticator, what + " not attempted: too many calls to the "
                    + "API server are already waiting (it is slow or down)", e);
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw AuthenticationException.unavailable(authenticator, what + " did not answer within " + timeout
                    + "; the API server is slow or unreachable", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException ae) {
                throw ae;
            }
            throw AuthenticationException.unavailable(authenticator, what + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw AuthenticationException.unavailable(authenticator, what + " interrupted", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
