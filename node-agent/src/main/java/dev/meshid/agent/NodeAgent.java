package dev.meshid.agent;

import dev.meshid.agent.admin.AdminServer;
import dev.meshid.agent.admin.AgentMetrics;
import dev.meshid.agent.bundle.BundleStream;
import dev.meshid.agent.bundle.BundleWatcher;
import dev.meshid.agent.bundle.WatchState;
import dev.meshid.agent.ca.CaClient;
import dev.meshid.agent.ca.CertificateRequester;
import dev.meshid.agent.ca.GrpcCaClient;
import dev.meshid.agent.cache.RotationPolicy;
import dev.meshid.agent.cache.Rotator;
import dev.meshid.agent.cache.SecretCache;
import dev.meshid.agent.config.AgentConfig;
import dev.meshid.agent.output.OutputCertsWriter;
import dev.meshid.agent.workloadapi.WorkloadApiServer;
import dev.meshid.agent.workloadapi.WorkloadApiService;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.secret.FileSecretSource;
import dev.meshid.sds.secret.RoutingSecretSource;
import dev.meshid.sds.secret.SecretNames;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.server.SdsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent, wired in one place: a {@link CertificateRequester} (new key, CSR, {@link GrpcCaClient}) feeds
 * the {@link Rotator}, which keeps the {@link SecretCache} filled; the cache is served over Envoy SDS
 * ({@code default}, {@code ROOTCA}, plus {@code file-cert:}/{@code file-root:} from disk), over the SPIFFE
 * Workload API, to the {@code OUTPUT_CERTS} files, and described by the admin endpoints. A {@link BundleWatcher}
 * follows the CA's trust bundle stream over the same connection, so new roots reach all of these before the CA
 * signs with them.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final AgentConfig config;
    private final Clock clock;
    private final SecretCache cache;
    private final AgentMetrics metrics;
    private final Optional<OutputCertsWriter> output;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Optional<Rotator> rotator = Optional.empty();
    private SecretSource workloadSource;
    private SdsServer sds;
    private Optional<WorkloadApiServer> workloadApi = Optional.empty();
    private Optional<AdminServer> admin = Optional.empty();
    private Optional<BundleStream> bundleStream = Optional.empty();
    private Optional<BundleWatcher> watcher = Optional.empty();

    private NodeAgent(NodeAgentBuilder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.cache = new SecretCache(clock, config.pkcs8Key());
        this.metrics = new AgentMetrics(cache, clock);
        this.output = config.outputCerts().map(dir -> new OutputCertsWriter(dir, config.pkcs8Key(), clock,
                b.outputFiles));
    }

    /** Starts configuring an agent for {@code config}. */
    public static NodeAgentBuilder builder(AgentConfig config) {
        return new NodeAgentBuilder(config);
    }

    /** Builds and starts the agent {@code b} describes. */
    static NodeAgent startFrom(NodeAgentBuilder b) throws IOException {
        return new NodeAgent(b).start(b);
    }

    private NodeAgent start(NodeAgentBuilder b) throws IOException {
        Scheduler scheduler = b.scheduler;
        if (scheduler == null) {
            scheduler = daemonScheduler("meshid-agent-rotation");
        }
        try {
            FileSecretSource files = new FileSecretSource(List.of());
            files.start(scheduler, b.filePollInterval);
            resources.add(files);
            if (config.fileMountedCerts()) {
                workloadSource = new MountedCertsSource(files, config.fileCertsDir());
                LOG.info("FILE_MOUNTED_CERTS: serving default and ROOTCA from {}", config.fileCertsDir());
                HeapSettle.of(scheduler).settleOnce();
            } else {
                workloadSource = cache;
                cache.addListener(HeapSettle.of(scheduler));
                Scheduler retries = scheduler;
                output.ifPresent(o -> {
                    o.retryEvery(retries, b.outputRetryInterval);
                    resources.add(o);
                    cache.addListener(o);
                });
                CaClient ca = b.caClient != null ? b.caClient : new GrpcCaClient(config.caAddr().host(),
                        config.caAddr().port(), config.caServerName(), config.tokenPath(), config.caRoot(),
                        config.clusterId(), config.caDeadline());
                resources.add(ca);
                CertificateRequester requester = new CertificateRequester(ca, config.spiffeId(),
                        config.keyAlgorithm(), config.secretTtl(), clock);
                Rotator r = new Rotator(requester::request, cache, new RotationPolicy(
                        config.rotation().graceRatio(), config.rotation().jitter()), b.retryPolicy, scheduler,
                        clock, b.random, metrics);
                resources.add(r);
                rotator = Optional.of(r);
                if (config.bundleStream() && ca instanceof BundleStream stream) {
                    bundleStream = Optional.of(stream);
                } else if (config.bundleStream()) {
                    LOG.info("the CA client offers no trust bundle stream; roots come from the CA's answers");
                }
            }
            sds = SdsServer.builder(new RoutingSecretSource(workloadSource, files)).unixSocket(config.sdsSocket())
                    .clock(clock).start();
            resources.add(sds);
            resources.add(new SdsSocketWatch(sds, scheduler, b.socketCheckInterval).start());
            metrics.watch(sds, output);
            LOG.info("SDS on {}", config.sdsSocket());
            if (config.workloadApiSocket().isPresent()) {
                workloadApi = Optional.of(WorkloadApiServer.start(config.workloadApiSocket().get(),
                        new WorkloadApiService(cache, clock)));
                resources.add(workloadApi.get());
                LOG.info("SPIFFE Workload API on {}", config.workloadApiSocket().get());
            }
            if (config.adminAddr().isPresent()) {
                admin = Optional.of(AdminServer.start(new InetSocketAddress(config.adminAddr().get().host(),
                        config.adminAddr().get().port()), new AdminServer.Sources(this::notReadyReason, metrics,
                        cache::held, this::outputError, clock, this::rotateNow, this::bundleView)));
                resources.add(admin.get());
                LOG.info("admin HTTP on {}", admin.get().address());
            }
            rotator.ifPresent(Rotator::start);
            if (bundleStream.isPresent()) {
                BundleWatcher w = new BundleWatcher(bundleStream.get(), cache,
                        rootCa -> sds.acknowledged(SecretNames.ROOTCA, rootCa), metrics, b.bundleBackoff,
                        b.bundleScheduler != null ? b.bundleScheduler : daemonScheduler("meshid-agent-bundle"),
                        clock, b.random, b.bundleAckWait);
                resources.add(w);
                watcher = Optional.of(w);
                w.start();
            }
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A scheduler on a daemon thread of its own, shut down with the agent. */
    private Scheduler daemonScheduler(String name) {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        resources.add(exec::shutdownNow);
        return Scheduler.of(exec);
    }

    /** Where the CA's trust bundle stream stands, and the last bundle it delivered. */
    public AdminServer.BundleView bundleView() {
        return new AdminServer.BundleView(watcher.map(BundleWatcher::state).orElse(WatchState.OFF),
                cache.streamBundle());
    }

    /** Why the agent is not ready, or empty when it is (a valid certificate is held). */
    public Optional<String> notReadyReason() {
        if (config.fileMountedCerts()) {
            return workloadSource.current(SecretNames.DEFAULT).isPresent() ? Optional.empty()
                    : Optional.of("the mounted certificate in " + config.fileCertsDir() + " is not readable yet");
        }
        if (cache.held().isEmpty()) {
            return Optional.of("no certificate from the CA yet (" + config.caAddr() + ")");
        }
        if (cache.expired()) {
            return Optional.of("the certificate expired at " + cache.held().get().certificate().notAfter()
                    + " and the CA has not renewed it");
        }
        return Optional.empty();
    }

    private Optional<String> outputError() {
        return output.flatMap(OutputCertsWriter::lastError);
    }

    /**
     * Renews the certificate now (a forced rotation): a new key, a CSR, a CA call, an SDS push.
     *
     * @return true if a rotation was scheduled; false if the agent serves mounted files ({@code FILE_MOUNTED_CERTS})
     */
    public boolean rotateNow() {
        rotator.ifPresent(Rotator::rotateNow);
        return rotator.isPresent();
    }

    public SecretCache cache() {
        return cache;
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    public SdsServer sds() {
        return sds;
    }

    public Optional<OutputCertsWriter> output() {
        return output;
    }

    /** The admin address actually bound, if the admin server runs. */
    public Optional<InetSocketAddress> adminAddress() {
        return admin.map(AdminServer::address);
    }

    public AgentConfig config() {
        return config;
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resources.get(i), e);
            }
        }
        resources.clear();
    }
}
