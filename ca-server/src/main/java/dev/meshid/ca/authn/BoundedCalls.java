package dev.meshid.ca.authn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs blocking calls to the API server with a hard time bound, so a slow or hung API server turns into a
 * prompt UNAVAILABLE instead of a request that waits as long as the HTTP client does. The pool is bounded too:
 * when the API server is slow enough that calls pile up, new ones are refused at once rather than queued
 * without end.
 *
 * <p>Once a call has failed as UNAVAILABLE (no answer in time, connection refused, a server error), the API server
 * counts as down: one call at a time goes through as a probe, and the calls that arrive meanwhile fail at once
 * instead of each holding a CA worker thread for the whole timeout (which would queue every other request, those
 * that need no API server included, behind them). A probe starts no sooner than {@link #PROBE_GAP} after the last
 * failure, so calls that queued while the first ones waited fail at once too. The first probe that gets an answer
 * ends this; no restart is needed.
 */
public final class BoundedCalls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedCalls.class);

    private final ExecutorService executor;
    private final AtomicReference<String> down = new AtomicReference<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final Clock clock;
    private volatile Instant lastFailure = Instant.MIN;

    /** The least time between a failure and the next probe of an API server counted as down. */
    public static final Duration PROBE_GAP = Duration.ofSeconds(1);

    /** Uses the given executor (its own bounds apply; rejection is reported as UNAVAILABLE). */
    public BoundedCalls(ExecutorService executor) {
        this(executor, Clock.systemUTC());
    }

    /** Uses the given executor, and {@code clock} to space probes of an API server counted as down. */
    public BoundedCalls(ExecutorService executor, Clock clock) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        String downBecause = down.get();
        boolean probe = false;
        if (downBecause != null) {
            boolean tooSoon = clock.instant().isBefore(lastFailure.plus(PROBE_GAP));
            if (tooSoon || !probing.compareAndSet(false, true)) {
                throw AuthenticationException.unavailable(authenticator, what + " not attempted: the API server "
                        + "is treated as down since a call failed (" + downBecause + "); one call at a time probes "
                        + "it until it answers", null);
            }
            probe = true;
        }
        try {
            T result = callOnce(authenticator, what, timeout, call);
            if (down.getAndSet(null) != null) {
                LOG.info("the API server answers again ({}); calls are no longer refused", what);
            }
            return result;
        } catch (AuthenticationException e) {
            if (e.kind() == AuthenticationException.Kind.UNAVAILABLE) {
                lastFailure = clock.instant();
                if (down.getAndSet(e.reason()) == null) {
                    LOG.warn("the API server is treated as down: {}; until a probe gets an answer, concurrent "
                            + "calls fail at once with UNAVAILABLE", e.reason());
                }
            } else if (down.getAndSet(null) != null) {
                LOG.info("the API server answers again ({}); calls are no longer refused", what);
            }
            throw e;
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }

    /** Whether the API server is treated as down (see the class comment). */
    public boolean apiServerDown() {
        return down.get() != null;
    }

    private <T> T callOnce(String authenticator, String what, Duration timeout, Callable<T> call)
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
