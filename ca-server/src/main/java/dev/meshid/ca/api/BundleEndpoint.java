package dev.meshid.ca.api;

import dev.meshid.api.bundle.v1.BundleAck;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.ca.authn.AuthRequest;
import dev.meshid.ca.authn.Authenticator;
import dev.meshid.ca.authn.Caller;
import dev.meshid.ca.bundle.BundleVersion;
import dev.meshid.ca.bundle.BundleWatchers;
import dev.meshid.pki.pem.Pem;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC transport of {@code meshid.bundle.v1.TrustBundleService/WatchBundle}: authenticates the caller as
 * {@code CreateCertificate} does (off the event loop, through the same {@link Admission}), registers the stream
 * with {@link BundleWatchers} (which sends the current bundle at once and every later version), and records each
 * {@code BundleAck}. The stream ends when the agent half-closes it, cancels it or the connection drops.
 */
public final class BundleEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(BundleEndpoint.class);
    /** The service, as the proto names it. */
    public static final String SERVICE = "meshid.bundle.v1.TrustBundleService";
    /** The method, as the proto names it. */
    public static final String METHOD = "WatchBundle";

    static final ServiceMethod<BundleAck, TrustBundle> WATCH_BUNDLE = ServiceMethod.server(
            ServiceName.create(SERVICE), METHOD, GrpcMessageEncoder.encoder(),
            GrpcMessageDecoder.decoder(BundleAck.newBuilder()));

    private BundleEndpoint() {
    }

    /** Serves {@code WatchBundle} on {@code server}, beside what it serves already. */
    public static void register(GrpcServer server, Authenticator authenticator, Admission admission,
                                BundleWatchers watchers) {
        server.callHandler(WATCH_BUNDLE, request -> handle(request, authenticator, admission, watchers));
    }

    private static void handle(GrpcServerRequest<BundleAck, TrustBundle> request, Authenticator authenticator,
                               Admission admission, BundleWatchers watchers) {
        Context context = Vertx.currentContext();
        CallContext call = GrpcEndpoint.callContext(request);
        AtomicReference<BundleWatchers.Registration> registration = new AtomicReference<>();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable cleanup = () -> {
            closed.set(true);
            BundleWatchers.Registration r = registration.getAndSet(null);
            if (r != null) {
                r.close();
                LOG.debug("bundle stream {} from {} closed", r.id(), call.peer());
            }
        };
        request.pause();
        request.handler(ack -> {
            BundleWatchers.Registration r = registration.get();
            if (r != null) {
                r.ack(ack.getVersion(), ack.getError());
                if (!ack.getError().isEmpty()) {
                    LOG.warn("agent at {} refused bundle {}: {}", call.peer(), ack.getVersion(), ack.getError());
                }
            }
        });
        request.endHandler(v -> {
            boolean open = registration.get() != null;
            cleanup.run();
            if (open) {
                // The agent half-closed: end our side too, with OK.
                request.response().end();
            }
        });
        request.exceptionHandler(t -> cleanup.run());
        request.errorHandler(e -> cleanup.run());
        request.response().exceptionHandler(t -> cleanup.run());
        admission.submit(context, () -> authenticator.authenticate(new AuthRequest(
                call.authorization().flatMap(AuthRequest::bearerFrom), call.peerCertificates(), call.clusterId(),
                call.peer(), java.util.Optional.empty())))
                .onSuccess(caller -> {
                    if (closed.get()) {
                        return;
                    }
                    registration.set(watchers.register(caller.identity().toString(), call.peer(),
                            version -> context.runOnContext(x -> send(request, version, closed.get()))));
                    LOG.info("bundle stream opened by {} at {}", describe(caller), call.peer());
                    request.resume();
                })
                .onFailure(t -> {
                    StatusMapper.Failure f = StatusMapper.mapAndLog(t, call);
                    request.response().status(f.status()).statusMessage(f.message()).end();
                });
    }

    private static void send(GrpcServerRequest<BundleAck, TrustBundle> request, BundleVersion version,
                             boolean closed) {
        if (closed) {
            return;
        }
        TrustBundle.Builder msg = TrustBundle.newBuilder().setVersion(version.version());
        for (X509Certificate root : version.roots().roots()) {
            msg.addRootsPem(Pem.write(root));
        }
        request.response().write(msg.build()).onFailure(t ->
                LOG.debug("cannot send bundle {} to {}: {}", version.version(), request.connection().remoteAddress(),
                        t.toString()));
    }

    private static String describe(Caller caller) {
        return caller.identity() + " (" + caller.authenticator() + ")";
    }
}
