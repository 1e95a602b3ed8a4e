package dev.meshid.ca;

import dev.meshid.ca.api.Admission;
import dev.meshid.ca.api.BundleEndpoint;
import dev.meshid.ca.api.CertificateService;
import dev.meshid.ca.api.GrpcEndpoint;
import dev.meshid.ca.audit.AuditLog;
import dev.meshid.ca.authn.Authenticator;
import dev.meshid.ca.bundle.BundleWatchers;
import dev.meshid.ca.bundle.RootPublisher;
import dev.meshid.ca.bundle.RootPublisherOptions;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigException;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.issuance.IssuanceOptions;
import dev.meshid.ca.issuance.IssuancePolicy;
import dev.meshid.ca.keysource.AutoRotation;
import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.rotation.AutoRotationPolicy;
import dev.meshid.ca.keysource.KeySourceListener;
import dev.meshid.ca.metrics.CaMetrics;
import dev.meshid.ca.rotation.RotationMonitor;
import dev.meshid.ca.signing.Signer;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.csr.CsrLimits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA process, wired in one place: a key source feeds the {@link Signer}; requests arrive on the gRPC port
 * ({@link GrpcEndpoint}), are admitted ({@link Admission}) and served by {@link CertificateService}
 * (authenticate -> issuance policy -> signer); the HTTP port serves health, metrics and the bundle; every new
 * bundle updates the metrics, the root ConfigMaps and the CA's own serving certificate.
 *
 * <p>The gRPC port opens once the first signing material is loaded (its TLS certificate is issued by the CA
 * itself); with {@code insecurePlaintext} it opens at once and answers UNAVAILABLE until then.
 */
public final class CaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaServer.class);

    private final CaConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService signingPool;
    private final KeySource keySource;
    private final Optional<KubernetesClient> kube;
    private final Optional<RootPublisher> publisher;
    private final Signer signer;
    private final CaMetrics metrics = new CaMetrics();
    private final Admission admission;
    private final GrpcServing grpc;
    private final BundleWatchers watchers = new BundleWatchers();
    private final RotationMonitor rotation;
    private HttpServer http;

    private CaServer(Builder b) throws ConfigException {
        this.config = b.config;
        this.clock = b.clock;
        this.vertx = Vertx.vertx();
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("meshid-ca-sched"));
        this.signingPool = Executors.newFixedThreadPool(config.signingThreads(), daemon("meshid-ca-sign"));
        try {
            this.kube = b.kube.isPresent() ? b.kube : Kubernetes.client(config, b.env);
        } catch (ConfigException | RuntimeException e) {
            releaseThreads();
            throw e;
        }
        try {
            this.signer = new Signer(clock, new SecureRandom(), config.maxTtl());
            AutoRotation autoRotation = new AutoRotation(new AutoRotationPolicy(config.rootRotationFraction(),
                    config.rootRotationGrace()), watchers::agents, signer.issuedLedger(), config.maxTtl());
            this.keySource = b.keySource != null ? b.keySource.apply(autoRotation) : config.vault().isPresent()
                    ? VaultWiring.keySource(config.vault().get(), b.env, clock, scheduler)
                    : KeySources.fromConfig(config, kube, clock, scheduler, autoRotation);
            VaultWiring.status(keySource).ifPresent(metrics::vault);
            Authenticator authn = b.authenticator != null ? b.authenticator
                    : Authenticators.fromConfig(config, signer, kube, kube.isPresent(), clock);
            IssuancePolicy policy = new IssuancePolicy(new IssuanceOptions(config.trustDomain(), config.defaultTtl(),
                    config.maxTtl(), IssuanceOptions.DEFAULT_BACKDATE, config.allowDnsSans(),
                    new CsrLimits(config.maxCsrBytes(), CsrLimits.DEFAULT.maxSans())));
            this.admission = new Admission(config.maxInFlight(), signingPool,
                    () -> metrics.signError(CaException.Kind.OVERLOADED.istioLabel(), Duration.ZERO));
            metrics.inFlight(admission::inFlight);
            CertificateService service = new CertificateService(authn, policy, signer, metrics, new AuditLog(), clock);
            GrpcServer grpcServer = GrpcEndpoint.create(vertx, service, admission, 2L * config.maxCsrBytes() + 65536);
            BundleEndpoint.register(grpcServer, authn, admission, watchers);
            metrics.bundleAgents(watchers::connected, watchers::ackedCurrent);
            this.rotation = new RotationMonitor(signer, watchers, config.maxTtl(), clock);
            metrics.rotation(rotation::state);
            this.grpc = new GrpcServing(vertx, grpcServer, signer, config, clock);
            boolean publish = publishRootConfigMap(config, kube.isPresent(), Kubernetes.inCluster(b.env));
            this.publisher = publish ? Optional.of(new RootPublisher(kube.get(),
                    RootPublisherOptions.defaults(config.namespace()), scheduler)) : Optional.empty();
        } catch (ConfigException | RuntimeException e) {
            // A configuration refused half-way must not leave Vert.x and pool threads behind (exit code 2, not a hang).
            releaseThreads();
            kube.ifPresent(KubernetesClient::close);
            throw e;
        }
    }

    /** Unset: publish when running in a cluster. Asked for without a Kubernetes client: refused, not ignored. */
    private static boolean publishRootConfigMap(CaConfig config, boolean kubernetesConfigured, boolean inCluster)
            throws ConfigException {
        Optional<Boolean> asked = config.publishRootConfigMap();
        if (asked.orElse(false) && !kubernetesConfigured) {
            throw new ConfigException(Setting.PUBLISH_ROOT_CONFIGMAP.describe() + " = true needs a Kubernetes client; "
                    + "set --kubeconfig or run the CA inside the cluster, or set --publish-root-configmap=false");
        }
        return asked.orElse(inCluster) && kubernetesConfigured;
    }

    private void releaseThreads() {
        vertx.close();
        signingPool.shutdownNow();
        scheduler.shutdownNow();
    }

    /** Starts a CA for {@code config}; see {@link Builder} for what tests may replace. */
    public static Builder builder(CaConfig config) {
        return new Builder(config);
    }

    /** Opens the HTTP port and starts the key source; the gRPC port follows (see the class comment). */
    public CaServer start() {
        // HTTP/1.1 only: probes, Prometheus and curl speak it, and a client's h2c upgrade offer (Java's HttpClient
        // makes one) once left a request hanging until the idle timeout.
        http = await(vertx.createHttpServer(GrpcServing.limits(new HttpServerOptions(), config)
                        .setHttp2ClearTextEnabled(false))
                .requestHandler(new dev.meshid.ca.http.HttpEndpoints(signer, metrics,
                        VaultWiring.readiness(keySource)).withRotation(rotation::report).router(vertx))
                .listen(config.httpAddr().port(), config.httpAddr().bindHost()));
        LOG.info("health, metrics and /bundle on http://{}:{}", config.httpAddr().bindHost(), http.actualPort());
        signer.addListener(active -> {
            KeyCertBundle bundle = active.bundle();
            metrics.signingMaterial(bundle.root().getNotAfter().toInstant(), active.chainNotAfter());
            publisher.ifPresent(p -> p.update(bundle.roots()));
            watchers.update(bundle.roots());
        });
        grpc.start();
        publisher.ifPresent(RootPublisher::start);
        keySource.start(new KeySourceListener() {
            @Override
            public void onBundle(KeyCertBundle bundle) {
                signer.onBundle(bundle);
            }

            @Override
            public void onRejected(String reason) {
                metrics.keySourceRejected();
                signer.onRejected(reason);
            }
        });
        LOG.info("key source {} started", keySource.name());
        return this;
    }

    /** The gRPC address, once the port is open. */
    public CompletableFuture<InetSocketAddress> grpcAddress() {
        return grpc.address();
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return http.actualPort();
    }

    public Signer signer() {
        return signer;
    }

    /** The node agents' trust-bundle streams and their acknowledgements. */
    public BundleWatchers bundleWatchers() {
        return watchers;
    }

    /** Roots, signer, rotation step and agents, now. */
    public RotationMonitor rotation() {
        return rotation;
    }

    public CaMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        keySource.close();
        publisher.ifPresent(RootPublisher::close);
        try {
            await(vertx.close());
        } catch (RuntimeException e) {
            LOG.warn("closing Vert.x failed", e);
        }
        signingPool.shutdownNow();
        scheduler.shutdownNow();
        kube.ifPresent(KubernetesClient::close);
    }

    static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out after 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** What a CA is made of; everything but the configuration is optional. */
    public static final class Builder {
        private final CaConfig config;
        private Clock clock = Clock.systemUTC();
        private java.util.Map<String, String> env = System.getenv();
        private java.util.function.Function<AutoRotation, KeySource> keySource;
        private Authenticator authenticator;
        private Optional<KubernetesClient> kube = Optional.empty();

        private Builder(CaConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** The environment, for in-cluster detection. */
        public Builder env(java.util.Map<String, String> e) {
            this.env = Objects.requireNonNull(e);
            return this;
        }

        /** A key source instead of the one the configuration names. */
        public Builder keySource(KeySource k) {
            Objects.requireNonNull(k, "keySource");
            this.keySource = rotation -> k;
            return this;
        }

        /** A key source made with what this CA gives automatic root rotation (its agents' acks, its issued ledger). */
        public Builder keySource(java.util.function.Function<AutoRotation, KeySource> factory) {
            this.keySource = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** An authenticator instead of the chain the configuration names. */
        public Builder authenticator(Authenticator a) {
            this.authenticator = a;
            return this;
        }

        /** A Kubernetes client instead of one made from the configuration. */
        public Builder kubernetes(KubernetesClient client) {
            this.kube = Optional.of(client);
            return this;
        }

        public CaServer build() throws ConfigException {
            return new CaServer(this);
        }
    }
}
