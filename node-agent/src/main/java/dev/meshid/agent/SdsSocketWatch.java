package dev.meshid.agent;

import dev.meshid.sds.Scheduler;
import dev.meshid.sds.server.SdsServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at an interval, on the agent's scheduler, that the SDS socket file still exists, and binds it again when it
 * was deleted: otherwise every proxy that restarts or reconnects would find no socket while the agent looks healthy.
 * The server logs each re-creation; a failure to re-create is logged once per state change.
 */
final class SdsSocketWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SdsSocketWatch.class);

    private final SdsServer sds;
    private final Scheduler scheduler;
    private final Duration interval;
    private Scheduler.Cancellable pending;
    private boolean closed;
    private boolean failing;

    SdsSocketWatch(SdsServer sds, Scheduler scheduler, Duration interval) {
        this.sds = Objects.requireNonNull(sds, "sds");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the SDS socket check interval must be positive, got " + interval);
        }
        this.interval = interval;
    }

    synchronized SdsSocketWatch start() {
        if (!closed) {
            pending = scheduler.schedule(interval, this::check);
        }
        return this;
    }

    private void check() {
        try {
            sds.restoreSocketIfMissing();
            if (failing) {
                LOG.info("SDS socket {} is bound again", sds.socketPath().orElseThrow());
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.error("the SDS socket {} was deleted and cannot be bound again ({}); proxies cannot connect "
                        + "until it is; retrying every {}", sds.socketPath().orElse(null), e.toString(), interval);
                failing = true;
            }
        }
        start();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel();
        }
    }
}
