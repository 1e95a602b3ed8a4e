package dev.meshid.ca.vault;

import dev.meshid.ca.keysource.KeySourceListener;
import dev.meshid.pki.bundle.KeyCertBundle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both Vault key sources share: a loop of one-shot tasks on the injected scheduler (the step says when
 * to run next; a failure retries with backoff), delivery of bundles whose content was not delivered before,
 * rejections reported once per distinct reason, and the status for readiness and metrics. All callbacks run
 * under this object's lock, so once {@link #close()} returns nothing more is delivered.
 */
final class SourceCore {
    private static final Logger LOG = LoggerFactory.getLogger(SourceCore.class);

    /** One round of work; returns the delay until the next round. */
    @FunctionalInterface
    interface Step {
        Duration run() throws VaultFailure;
    }

    private final String name;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private Step step;
    private KeySourceListener listener;
    private ScheduledFuture<?> next;
    private boolean closed;
    private KeyCertBundle current;
    private String currentFingerprint;
    private String lastReported;
    private Instant lastSuccess;
    private String lastError;
    private long failures;
    private long rejections;

    SourceCore(String name, Clock clock, ScheduledExecutorService scheduler, Backoff backoff) {
        this.name = name;
        this.clock = clock;
        this.scheduler = scheduler;
        this.backoff = backoff;
    }

    synchronized void start(KeySourceListener l, Step s) {
        if (listener != null) {
            throw new IllegalStateException(name + " was already started; a key source starts once");
        }
        listener = Objects.requireNonNull(l, "listener");
        step = Objects.requireNonNull(s, "step");
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (!closed) {
            next = scheduler.schedule(this::round, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void round() {
        if (closed) {
            return;
        }
        Duration delay;
        try {
            delay = step.run();
            failures = 0;
            lastSuccess = clock.instant();
            lastError = null;
        } catch (VaultFailure f) {
            delay = failed(f.getMessage(), f.topic(), f.kind());
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure", name, e);
            delay = failed("unexpected failure: " + e, null, VaultFailure.Kind.UNAVAILABLE);
        } catch (Error e) {
            // A scheduler swallows what a task throws: say so loudly, or the source would stop in silence.
            LOG.error("{}: fatal error; this key source stops", name, e);
            throw e;
        }
        schedule(delay);
    }

    private Duration failed(String message, String topic, VaultFailure.Kind kind) {
        failures++;
        lastError = message;
        Duration retry = backoff.delay((int) Math.min(failures, 64));
        String keeping = current == null ? "not ready: no CA material loaded yet"
                : "keeping the current CA " + current.signer();
        boolean configurationProblem = switch (kind) {
            case PERMISSION_DENIED, NOT_FOUND, BAD_REQUEST, CREDENTIALS_UNAVAILABLE, MALFORMED -> true;
            default -> false;
        };
        if (configurationProblem && !Objects.equals(topic, lastReported)) {
            report(topic == null ? message : topic, message);
        } else {
            LOG.warn("{}: {}; {}; retrying in {} (failure {})", name, message, keeping, retry, failures);
        }
        return retry;
    }

    /** Delivers {@code bundle} unless content with this fingerprint is current. True if delivered. */
    synchronized boolean offer(String fingerprint, KeyCertBundle bundle) {
        if (closed || fingerprint.equals(currentFingerprint)) {
            return false;
        }
        currentFingerprint = fingerprint;
        current = bundle;
        lastReported = null;
        LOG.info("{}: delivering new CA material, signer {}", name, bundle.signer());
        listener.onBundle(bundle);
        return true;
    }

    /** Reports invalid material or a configuration problem; a reason equal to the last one is not repeated. */
    synchronized void reportOnce(String problem) {
        report(problem, problem);
    }

    /** Reports {@code problem} unless the last report had the same {@code topic}. */
    private void report(String topic, String problem) {
        if (closed || topic.equals(lastReported)) {
            return;
        }
        lastReported = topic;
        rejections++;
        String reason = name + ": " + problem;
        LOG.error("{}; {}", reason, current == null ? "not ready: no CA material loaded yet"
                : "keeping the current CA " + current.signer());
        listener.onRejected(reason);
    }

    synchronized KeyCertBundle current() {
        return current;
    }

    synchronized VaultSourceStatus status() {
        Instant notAfter = current == null ? null : current.signer().notAfter();
        boolean ready = current != null && clock.instant().isBefore(notAfter);
        return new VaultSourceStatus(ready, failures == 0 && lastSuccess != null, lastSuccess, lastError, failures,
                rejections, notAfter);
    }

    synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
