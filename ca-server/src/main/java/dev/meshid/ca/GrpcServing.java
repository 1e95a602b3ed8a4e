package dev.meshid.ca;

import dev.meshid.ca.api.ServingTls;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.signing.Signer;
import dev.meshid.pki.id.SpiffeId;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.grpc.server.GrpcServer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC port's lifecycle: plaintext opens at once; TLS opens when the first signing material arrives, with a
 * serving certificate the CA issues itself, which is re-issued at half-life and whenever the signer changes
 * ({@code HttpServer.updateSSLOptions}, without dropping open connections). The lifecycle runs on one Vert.x
 * context; the port itself is served by one server instance per core, each on its own event loop (Vert.x shares
 * the port and spreads connections across them), so TLS and HTTP/2 work is not confined to one thread. TLS uses
 * OpenSSL (BoringSSL through netty-tcnative) where it loads, the JDK's engine otherwise.
 */
final class GrpcServing {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServing.class);
    /** Lifetime asked for the serving certificate; renewed at half of it. */
    static final Duration SERVING_TTL = Duration.ofHours(24);
    /** Wait before retrying a failed renewal. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final GrpcServer grpc;
    private final Signer signer;
    private final CaConfig config;
    private final Clock clock;
    private final ServingTls tls;
    private final CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();
    private Context context;
    private HttpServer server;
    /** The first server and the instances on other event loops; all get each new serving certificate. */
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final int instances;
    private long renewalTimer = -1;
    private long lastSequence = -1;

    GrpcServing(Vertx vertx, GrpcServer grpc, Signer signer, CaConfig config, Clock clock) {
        this.vertx = vertx;
        this.grpc = grpc;
        this.signer = signer;
        this.config = config;
        this.clock = clock;
        SpiffeId self = config.trustDomain().serviceAccount(config.namespace(), "meshid-ca");
        this.tls = new ServingTls(signer, self, config.servingDns(), SERVING_TTL);
        this.instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    CompletableFuture<InetSocketAddress> address() {
        return address;
    }

    void start() {
        context = vertx.getOrCreateContext();
        if (config.insecurePlaintext()) {
            LOG.warn("!!! --insecure-plaintext: the CA API on {} serves WITHOUT TLS; tokens and certificates cross "
                    + "the network in the clear. For local debugging only, never in a cluster. !!!", config.grpcAddr());
            context.runOnContext(v -> listen(limits(new HttpServerOptions(), config)));
            return;
        }
        signer.addListener(active -> context.runOnContext(v -> {
            if (active.sequence() != lastSequence) {
                lastSequence = active.sequence();
                renew();
            }
        }));
    }

    private void renew() {
        ServingTls.Issued issued;
        try {
            issued = tls.issue();
        } catch (Exception e) {
            LOG.error("cannot issue the CA's serving certificate; retrying in {}", RETRY, e);
            schedule(clock.instant().plus(RETRY));
            return;
        }
        LOG.info("serving certificate for {} {} valid until {}, renewal at {}", config.servingDns(),
                issued.certificate().getSerialNumber().toString(16), issued.certificate().getNotAfter().toInstant(),
                issued.renewAt());
        if (server == null) {
            HttpServerOptions options = limits(new HttpServerOptions(), config).setSsl(true).setUseAlpn(true)
                    .setAlpnVersions(List.of(HttpVersion.HTTP_2))
                    .setKeyCertOptions(issued.options().getKeyCertOptions())
                    .setTrustOptions(issued.options().getTrustOptions())
                    .setClientAuth(issued.options().getClientAuth())
                    .setEnabledSecureTransportProtocols(issued.options().getEnabledSecureTransportProtocols());
            issued.options().getEnabledCipherSuites().forEach(options::addEnabledCipherSuite);
            if (OpenSSLEngineOptions.isAvailable() && OpenSSLEngineOptions.isAlpnAvailable()) {
                options.setSslEngineOptions(new OpenSSLEngineOptions());
                LOG.info("CA API TLS engine: OpenSSL (netty-tcnative)");
            } else {
                LOG.info("CA API TLS engine: JDK (netty-tcnative/OpenSSL not available on this platform)");
            }
            listen(options);
        } else {
            for (HttpServer s : servers) {
                s.updateSSLOptions(issued.options(), true).onFailure(e ->
                        LOG.error("cannot switch the CA API to the new serving certificate", e));
            }
        }
        schedule(issued.renewAt());
    }

    private void schedule(Instant at) {
        if (renewalTimer >= 0) {
            vertx.cancelTimer(renewalTimer);
        }
        long delay = Math.max(1, Duration.between(clock.instant(), at).toMillis());
        renewalTimer = vertx.setTimer(delay, id -> {
            renewalTimer = -1;
            renew();
        });
    }

    private void listen(HttpServerOptions options) {
        int port = config.grpcAddr().port();
        // Vert.x shares a port between server instances by the port asked for; a negative one means "a random
        // port, the same for every instance asking for it", which is port 0 for several instances.
        server = vertx.createHttpServer(options.setHost(config.grpcAddr().bindHost())
                        .setPort(port == 0 && instances > 1 ? -1 : port))
                .requestHandler(grpc);
        servers.add(server);
        server.listen().compose(s -> moreInstances(options).map(s)).onSuccess(s -> {
            // Tests and scripts read the port from this line: keep its shape.
            LOG.info("CA API istio.v1.auth.IstioCertificateService on {}:{} ({})", config.grpcAddr().bindHost(),
                    s.actualPort(), options.isSsl() ? "TLS" : "PLAINTEXT");
            LOG.info("CA API served by {} server instance(s), one per event loop", servers.size());
            address.complete(new InetSocketAddress(config.grpcAddr().bindHost(), s.actualPort()));
        }).onFailure(e -> {
            LOG.error("cannot open the CA API port {}", config.grpcAddr(), e);
            address.completeExceptionally(e);
        });
    }

    /**
     * Bounds what a slow or stalled client can hold: a TLS handshake must finish within the handshake timeout,
     * and a connection with nothing read or written for the idle timeout (one that never sends its HTTP/2
     * preface, say) is closed. Also used for the HTTP port.
     */
    static HttpServerOptions limits(HttpServerOptions options, CaConfig config) {
        options.setSslHandshakeTimeout(config.tlsHandshakeTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (!config.idleTimeout().isZero()) {
            options.setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()))
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        return options;
    }

    /** Servers sharing the first one's port, deployed as verticle instances so that each has its own event loop. */
    private Future<?> moreInstances(HttpServerOptions options) {
        if (instances <= 1) {
            return Future.succeededFuture();
        }
        HttpServerOptions shared = new HttpServerOptions(options);
        return vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                HttpServer s = vertx.createHttpServer(new HttpServerOptions(shared)).requestHandler(grpc);
                servers.add(s);
                return s.listen();
            }
        }, new DeploymentOptions().setInstances(instances - 1));
    }
}
