package dev.meshid.agent.cache;

import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.ca.RetryPolicy;
import dev.meshid.sds.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link SecretCache} filled: gets the first certificate at start, renews each one at the time
 * {@link RotationPolicy} decides (jitter drawn once per certificate), and after a failure retries after the
 * {@link RetryPolicy}'s delay, forever, while the cache keeps serving the last certificate. All waiting goes
 * through the injected {@link Scheduler}, all time through the injected {@link Clock}, all randomness through
 * the injected {@link RandomGenerator}.
 *
 * <p>Attempts never overlap: each is one scheduled task, and a generation number drops a task that
 * {@link #rotateNow()} or {@link #close()} made obsolete.
 */
public final class Rotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Rotator.class);

    private final CertificateSource source;
    private final SecretCache cache;
    private final RotationPolicy policy;
    private final RetryPolicy retry;
    private final Scheduler scheduler;
    private final Clock clock;
    private final RandomGenerator random;
    private final RotationObserver observer;
    private Scheduler.Cancellable pending;
    private long generation;
    private int failures;
    private boolean closed;

    public Rotator(CertificateSource source, SecretCache cache, RotationPolicy policy, RetryPolicy retry,
            Scheduler scheduler, Clock clock, RandomGenerator random, RotationObserver observer) {
        this.source = Objects.requireNonNull(source, "source");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Schedules the first attempt now. */
    public void start() {
        rotateNow();
    }

    /** Renews as soon as possible, replacing whatever attempt was planned. */
    public synchronized void rotateNow() {
        schedule(Duration.ZERO);
    }

    /** How many attempts in a row have failed (0 after a success). */
    public synchronized int consecutiveFailures() {
        return failures;
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel();
        }
        long mine = ++generation;
        pending = scheduler.schedule(delay, () -> attempt(mine));
    }

    private void attempt(long mine) {
        synchronized (this) {
            if (closed || mine != generation) {
                return;
            }
        }
        Instant started = clock.instant();
        try {
            IssuedCertificate cert = source.fetch();
            Instant rotateAt = policy.rotateAt(cert.receivedAt(), cert.notBefore(), cert.notAfter(),
                    random.nextDouble());
            synchronized (this) {
                if (closed || mine != generation) {
                    return;
                }
                failures = 0;
            }
            cache.accept(cert, rotateAt);
            observer.onIssued(cert, Duration.between(started, clock.instant()));
            LOG.info("new certificate {} (serial {}), valid until {}, renewal at {}", cert.spiffeId(),
                    cert.serialHex(), cert.notAfter(), rotateAt);
            synchronized (this) {
                if (mine == generation) {
                    schedule(nonNegative(Duration.between(clock.instant(), rotateAt)));
                }
            }
        } catch (CaCallException | RuntimeException e) {
            CaCallException error = e instanceof CaCallException c ? c
                    : new CaCallException(io.grpc.Status.Code.INTERNAL, "unexpected failure: " + e, e);
            Duration wait;
            synchronized (this) {
                if (closed || mine != generation) {
                    return;
                }
                failures++;
                wait = retry.delay(failures, error, random);
                schedule(wait);
            }
            observer.onFailure(error, failures, wait);
            LOG.warn("getting a certificate failed ({} in a row), retrying in {}: {}{}", failures, wait,
                    error.getMessage(), cache.held().map(h -> h.certificate().expiredAt(clock.instant())
                            ? "; the held certificate has EXPIRED" : "; still serving the last valid certificate")
                            .orElse(""));
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Cancels the planned attempt; an attempt already running finishes but schedules nothing. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel();
        }
    }
}
