package dev.meshid.agent;

import dev.meshid.agent.ca.Backoff;
import dev.meshid.agent.ca.CaClient;
import dev.meshid.agent.ca.RetryPolicy;
import dev.meshid.agent.config.AgentConfig;
import dev.meshid.agent.output.FileWrite;
import dev.meshid.sds.Scheduler;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** What an agent is made of; everything but the configuration has a production default. */
public final class NodeAgentBuilder {
    final AgentConfig config;
    Clock clock = Clock.systemUTC();
    Scheduler scheduler;
    RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());
    CaClient caClient;
    RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    Duration filePollInterval = Duration.ofSeconds(1);
    FileWrite outputFiles = FileWrite.ATOMIC;
    Duration outputRetryInterval = Duration.ofSeconds(10);
    Duration socketCheckInterval = Duration.ofSeconds(5);
    Scheduler bundleScheduler;
    Backoff bundleBackoff = Backoff.DEFAULT;
    Duration bundleAckWait = Duration.ofSeconds(10);

    NodeAgentBuilder(AgentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public NodeAgentBuilder clock(Clock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }

    /** Where rotations and retries are scheduled; by default a single daemon thread. */
    public NodeAgentBuilder scheduler(Scheduler s) {
        this.scheduler = Objects.requireNonNull(s, "scheduler");
        return this;
    }

    /** The source of rotation jitter and retry jitter. */
    public NodeAgentBuilder random(RandomGenerator r) {
        this.random = Objects.requireNonNull(r, "random");
        return this;
    }

    /** A CA client instead of gRPC to {@code CA_ADDR}. */
    public NodeAgentBuilder caClient(CaClient c) {
        this.caClient = Objects.requireNonNull(c, "caClient");
        return this;
    }

    public NodeAgentBuilder retryPolicy(RetryPolicy p) {
        this.retryPolicy = Objects.requireNonNull(p, "retryPolicy");
        return this;
    }

    /** How often {@code file-cert:}/{@code file-root:} files are re-read. */
    public NodeAgentBuilder filePollInterval(Duration d) {
        this.filePollInterval = Objects.requireNonNull(d, "filePollInterval");
        return this;
    }

    /** How {@code OUTPUT_CERTS} files are written; by default atomically through a temporary file. */
    public NodeAgentBuilder outputFiles(FileWrite w) {
        this.outputFiles = Objects.requireNonNull(w, "outputFiles");
        return this;
    }

    /** How often a certificate that could not be written to {@code OUTPUT_CERTS} is tried again. */
    public NodeAgentBuilder outputRetryInterval(Duration d) {
        this.outputRetryInterval = Objects.requireNonNull(d, "outputRetryInterval");
        return this;
    }

    /** How often the agent checks that its SDS socket file still exists (and binds it again if not). */
    public NodeAgentBuilder socketCheckInterval(Duration d) {
        this.socketCheckInterval = Objects.requireNonNull(d, "socketCheckInterval");
        return this;
    }

    /**
     * Where the trust bundle stream's work runs; by default its own daemon thread, so that a CA call blocking
     * the rotation thread does not delay a new root.
     */
    public NodeAgentBuilder bundleScheduler(Scheduler s) {
        this.bundleScheduler = Objects.requireNonNull(s, "bundleScheduler");
        return this;
    }

    /** How the trust bundle stream reconnects; jitter comes from {@link #random}. */
    public NodeAgentBuilder bundleBackoff(Backoff b) {
        this.bundleBackoff = Objects.requireNonNull(b, "bundleBackoff");
        return this;
    }

    /** How long a bundle's ack waits for the SDS clients' ACKs of the new ROOTCA. */
    public NodeAgentBuilder bundleAckWait(Duration d) {
        this.bundleAckWait = Objects.requireNonNull(d, "bundleAckWait");
        return this;
    }

    /** Binds the sockets and ports and starts getting the first certificate. */
    public NodeAgent start() throws IOException {
        return NodeAgent.startFrom(this);
    }
}
