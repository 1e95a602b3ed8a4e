package dev.meshid.ca;

import dev.meshid.ca.api.ServingTls;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.signing.Signer;
import dev.meshid.pki.id.SpiffeId;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.server.GrpcServer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC port's lifecycle: plaintext opens at once; TLS opens when the first signing material arrives, with a
 * serving certificate the CA issues itself, which is re-issued at half-life and whenever the signer changes
 * ({@code HttpServer.updateSSLOptions}, without dropping open connections). All on one Vert.x context.
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
    }

    CompletableFuture<InetSocketAddress> address() {
        return address;
    }

    void start() {
        context = vertx.getOrCreateContext();
        if (config.insecurePlaintext()) {
            LOG.warn("!!! --insecure-plaintext: the CA API on {} serves WITHOUT TLS; tokens and certificates cross "
                    + "the network in the clear. For local debugging only, never in a cluster. !!!", config.grpcAddr());
            context.runOnContext(v -> listen(new HttpServerOptions()));
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
            HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
                    .setAlpnVersions(List.of(HttpVersion.HTTP_2))
                    .setKeyCertOptions(issued.options().getKeyCertOptions())
                    .setTrustOptions(issued.options().getTrustOptions())
                    .setClientAuth(issued.options().getClientAuth())
                    .setEnabledSecureTransportProtocols(issued.options().getEnabledSecureTransportProtocols());
            listen(options);
        } else {
            server.updateSSLOptions(issued.options(), true).onFailure(e ->
                    LOG.error("cannot switch the CA API to the new serving certificate", e));
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
        server = vertx.createHttpServer(options.setHost(config.grpcAddr().bindHost()).setPort(config.grpcAddr().port()))
                .requestHandler(grpc);
        server.listen().onSuccess(s -> {
            LOG.info("CA API istio.v1.auth.IstioCertificateService on {}:{} ({})", config.grpcAddr().bindHost(),
                    s.actualPort(), options.isSsl() ? "TLS" : "PLAINTEXT");
            address.complete(new InetSocketAddress(config.grpcAddr().bindHost(), s.actualPort()));
        }).onFailure(e -> {
            LOG.error("cannot open the CA API port {}", config.grpcAddr(), e);
            address.completeExceptionally(e);
        });
    }
}
