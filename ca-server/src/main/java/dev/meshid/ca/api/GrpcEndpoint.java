package dev.meshid.ca.api;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The gRPC transport of {@code istio.v1.auth.IstioCertificateService/CreateCertificate} on Vert.x: reads the
 * headers, the TLS client certificate and the peer address on the event loop, admits the call (or refuses it
 * at once when overloaded), runs {@link CertificateService} on the signing pool, and answers with the response
 * or with the status {@link StatusMapper} chose. Served by plain {@code vertx-grpc-server} with a
 * {@link ServiceMethod} of the protobuf messages, because its request exposes the HTTP/2 connection and with it
 * the TLS session.
 */
public final class GrpcEndpoint {
    /** The service, as Istio names it. */
    public static final String SERVICE = "istio.v1.auth.IstioCertificateService";
    /** The method, as Istio names it. */
    public static final String METHOD = "CreateCertificate";

    static final ServiceMethod<IstioCertificateRequest, IstioCertificateResponse> CREATE_CERTIFICATE =
            ServiceMethod.server(ServiceName.create(SERVICE), METHOD, GrpcMessageEncoder.encoder(),
                    GrpcMessageDecoder.decoder(IstioCertificateRequest.newBuilder()));

    private GrpcEndpoint() {
    }

    /**
     * A gRPC server (an HTTP request handler) serving the CA API.
     *
     * @param maxMessageBytes largest request accepted by the transport; keep it above the CSR limit so that an
     *     oversized CSR gets the policy's clear INVALID_ARGUMENT
     */
    public static GrpcServer create(Vertx vertx, CertificateService service, Admission admission, long maxMessageBytes) {
        GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes)
                .setScheduleDeadlineAutomatically(true));
        server.callHandler(CREATE_CERTIFICATE, request -> handle(request, service, admission));
        return server;
    }

    private static void handle(GrpcServerRequest<IstioCertificateRequest, IstioCertificateResponse> request,
                               CertificateService service, Admission admission) {
        Context context = Vertx.currentContext();
        CallContext call = callContext(request);
        request.last().onSuccess(message -> admission.submit(context, () -> service.create(message, call))
                .onSuccess(response -> request.response().send(response))
                .onFailure(t -> {
                    StatusMapper.Failure f = StatusMapper.mapAndLog(t, call);
                    request.response().status(f.status()).statusMessage(f.message()).end();
                }));
    }

    static CallContext callContext(GrpcServerRequest<?, ?> request) {
        HttpConnection connection = request.connection();
        SocketAddress remote = connection.remoteAddress();
        return new CallContext(Optional.ofNullable(request.headers().get("authorization")),
                Optional.ofNullable(request.headers().get("clusterid")), peerCertificates(connection),
                remote == null ? "unknown" : remote.toString());
    }

    private static List<X509Certificate> peerCertificates(HttpConnection connection) {
        if (!connection.isSsl()) {
            return List.of();
        }
        try {
            List<Certificate> certs = connection.peerCertificates();
            List<X509Certificate> out = new ArrayList<>();
            if (certs != null) {
                for (Certificate c : certs) {
                    if (c instanceof X509Certificate x) {
                        out.add(x);
                    }
                }
            }
            return out;
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            return List.of();
        }
    }
}
