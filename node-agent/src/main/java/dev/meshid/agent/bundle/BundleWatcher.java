package dev.meshid.agent.bundle;

import dev.meshid.agent.ca.Backoff;
import dev.meshid.agent.ca.CaCallException;
import dev.meshid.agent.cache.SecretCache;
import dev.meshid.api.bundle.v1.BundleAck;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.server.AckStatus;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the CA's trust bundle stream ({@code TrustBundleService/WatchBundle}). Each bundle is checked
 * ({@link BundleCheck}); a refused one is answered with its reason and the last good bundle stays. A good one
 * is applied ({@link SecretCache#applyBundle}: SDS {@code ROOTCA}, Workload API, output files; then the trust
 * for TLS to the CA) and acknowledged once every SDS stream watching {@code ROOTCA} ACKed it, or after
 * {@code ackWait} at most — the log says which. A stream that ends is reopened after a capped exponential
 * backoff with jitter; a CA without the service (UNIMPLEMENTED: an Istio CA) is logged once and asked again
 * only at the backoff's cap, roots meanwhile coming from the CA's answers as without the stream.
 *
 * <p>Everything runs on the injected {@link Scheduler} (gRPC callbacks only hand over), so the acks of one
 * stream are sent from one task at a time, in order.
 */
public final class BundleWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BundleWatcher.class);
    private static final Duration ACK_POLL = Duration.ofMillis(20);

    private final BundleStream stream;
    private final SecretCache cache;
    private final SdsAcks sdsAcks;
    private final BundleObserver observer;
    private final Backoff backoff;
    private final Scheduler scheduler;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration ackWait;
    private StreamObserver<BundleAck> acks;
    private long generation;
    private int failures;
    private boolean unsupportedLogged;
    private boolean closed;
    private Pending pending;
    private volatile WatchState state = WatchState.CONNECTING;

    /** A bundle applied and not acked yet: waiting for the SDS clients' ACKs. */
    private record Pending(AppliedBundle bundle, dev.meshid.sds.secret.TrustBundle rootCa, Instant deadline) {
    }

    public BundleWatcher(BundleStream stream, SecretCache cache, SdsAcks sdsAcks, BundleObserver observer,
            Backoff backoff, Scheduler scheduler, Clock clock, RandomGenerator random, Duration ackWait) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.sdsAcks = Objects.requireNonNull(sdsAcks, "sdsAcks");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.ackWait = Objects.requireNonNull(ackWait, "ackWait");
    }

    /** Opens the stream (on the scheduler). */
    public void start() {
        scheduler.schedule(Duration.ZERO, this::connect);
    }

    /** Where the stream stands now. */
    public WatchState state() {
        return state;
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        long mine = ++generation;
        state = unsupportedLogged ? WatchState.UNSUPPORTED : WatchState.CONNECTING;
        try {
            acks = stream.openBundleStream(new Bundles(mine));
        } catch (CaCallException | RuntimeException e) {
            ended(mine, Status.UNAVAILABLE.withDescription(e.getMessage()));
        }
    }

    private synchronized void onBundle(long mine, TrustBundle message) {
        if (closed || mine != generation) {
            return;
        }
        failures = 0;
        state = WatchState.CONNECTED;
        flushPending("superseded by bundle " + message.getVersion());
        AppliedBundle bundle;
        try {
            bundle = BundleCheck.check(message, cache.held().map(h -> h.certificate()));
        } catch (BundleRejected e) {
            observer.onRejected(e.getMessage());
            LOG.warn("refusing the CA's trust bundle: {}", e.getMessage());
            send(message.getVersion(), e.getMessage());
            return;
        }
        boolean changed = cache.streamBundle().map(b -> !b.version().equals(bundle.version())).orElse(true);
        dev.meshid.sds.secret.TrustBundle rootCa = cache.applyBundle(bundle);
        stream.trustBundleRoots(bundle.certificates());
        if (changed) {
            // A reconnect re-sends the current bundle; only a new version counts as an update.
            observer.onApplied(bundle);
            LOG.info("trust bundle {} applied: {} root(s) {}", bundle.version(), bundle.certificates().size(),
                    bundle.fingerprints());
        }
        pending = new Pending(bundle, rootCa, clock.instant().plus(ackWait));
        checkSdsAcks(mine);
    }

    private synchronized void checkSdsAcks(long mine) {
        if (closed || mine != generation || pending == null) {
            return;
        }
        AckStatus status = sdsAcks.rootCa(pending.rootCa());
        if (status.complete()) {
            LOG.info("acking bundle {}: ACKed by all {} SDS stream(s) watching ROOTCA", pending.bundle().version(),
                    status.watching());
        } else if (!clock.instant().isBefore(pending.deadline())) {
            LOG.warn("acking bundle {} after waiting {}: only {} of {} SDS stream(s) watching ROOTCA ACKed it",
                    pending.bundle().version(), ackWait, status.acknowledged(), status.watching());
        } else {
            scheduler.schedule(ACK_POLL, () -> checkSdsAcks(mine));
            return;
        }
        send(pending.bundle().version(), "");
        pending = null;
    }

    private void flushPending(String why) {
        if (pending != null) {
            LOG.info("acking bundle {} without waiting for SDS: {}", pending.bundle().version(), why);
            send(pending.bundle().version(), "");
            pending = null;
        }
    }

    private void send(String version, String error) {
        try {
            acks.onNext(BundleAck.newBuilder().setVersion(version).setError(error).build());
        } catch (RuntimeException e) {
            LOG.debug("cannot ack bundle {}: {}", version, e.toString());
        }
    }

    private synchronized void ended(long mine, Status status) {
        if (closed || mine != generation) {
            return;
        }
        generation++;
        pending = null;
        acks = null;
        cache.bundleStreamLost();
        Duration retryIn;
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            state = WatchState.UNSUPPORTED;
            retryIn = backoff.max();
            if (!unsupportedLogged) {
                unsupportedLogged = true;
                LOG.info("the CA does not offer the trust bundle stream (an Istio CA?); roots come from its answers"
                        + " and the CA root file, as without the stream");
            }
        } else {
            state = WatchState.RETRYING;
            retryIn = backoff.delay(++failures, random);
            LOG.warn("trust bundle stream ended ({}: {}); reconnecting in {}", status.getCode(),
                    status.getDescription(), retryIn);
        }
        long next = generation;
        scheduler.schedule(retryIn, () -> {
            synchronized (this) {
                if (next == generation) {
                    connect();
                }
            }
        });
    }

    /** Ends the stream; nothing is scheduled any more. */
    @Override
    public synchronized void close() {
        closed = true;
        state = WatchState.OFF;
        if (acks instanceof ClientCallStreamObserver<BundleAck> call) {
            call.cancel("agent stopping", null);
        } else if (acks != null) {
            acks.onCompleted();
        }
    }

    /** One stream's incoming side: hands everything to the scheduler, tagged with the stream's generation. */
    private final class Bundles implements StreamObserver<TrustBundle> {
        private final long mine;

        Bundles(long mine) {
            this.mine = mine;
        }

        @Override
        public void onNext(TrustBundle value) {
            hand(() -> onBundle(mine, value));
        }

        @Override
        public void onError(Throwable t) {
            hand(() -> ended(mine, Status.fromThrowable(t)));
        }

        @Override
        public void onCompleted() {
            hand(() -> ended(mine, Status.UNAVAILABLE.withDescription("the CA ended the stream")));
        }

        private void hand(Runnable task) {
            try {
                scheduler.schedule(Duration.ZERO, task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The agent is stopping and its scheduler is gone: nothing is left to do with this event.
            }
        }
    }
}
