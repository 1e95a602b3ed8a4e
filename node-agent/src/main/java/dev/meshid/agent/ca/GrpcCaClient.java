package dev.meshid.agent.ca;

import dev.meshid.agent.bundle.BundleStream;
import dev.meshid.api.bundle.v1.BundleAck;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.api.bundle.v1.TrustBundleServiceGrpc;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The CA client over gRPC/TLS: the server is verified against the roots in the CA root file, united with the
 * CA's trust bundle once the bundle stream delivered one, and must carry {@code serverName} (the host of
 * {@code CA_ADDR} unless overridden). Each call re-reads the token file (projected tokens rotate) and the root
 * file (a changed file is trusted from the next handshake on), sends
 * {@code authorization: Bearer <token>} and, when configured, {@code clusterid}, and has its own deadline.
 * Retries are not made here: the caller's retry loop owns backoff, so there is one loop, not two. The bundle
 * stream ({@link BundleStream}) shares the channel, the TLS trust and the credentials.
 */
public final class GrpcCaClient implements CaClient, BundleStream {
    /** Below the CA's default idle timeout (5 minutes), so an open stream is never cut for quietness. */
    static final Duration KEEPALIVE = Duration.ofMinutes(2);

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CLUSTER_ID = Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER);

    private final String host;
    private final int port;
    private final String serverName;
    private final Path tokenPath;
    private final Path caRoot;
    private final Optional<String> clusterId;
    private final Duration deadline;
    private final EventLoopGroup group;
    private final ReloadingTrust trust = new ReloadingTrust();
    private ManagedChannel channel;
    private byte[] channelRoots;

    /**
     * @param host the CA host
     * @param port the CA port
     * @param serverName the DNS name expected in the CA's certificate (also sent as {@code :authority})
     * @param tokenPath the bearer token file
     * @param caRoot PEM roots that verify the CA
     * @param clusterId the {@code clusterid} header, if any
     * @param deadline the deadline of each call
     */
    public GrpcCaClient(String host, int port, String serverName, Path tokenPath, Path caRoot,
            Optional<String> clusterId, Duration deadline) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.tokenPath = Objects.requireNonNull(tokenPath, "tokenPath");
        this.caRoot = Objects.requireNonNull(caRoot, "caRoot");
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshid-agent-ca", true),
                NioIoHandler.newFactory());
    }

    @Override
    public List<String> createCertificate(String csrPem, Duration ttl) throws CaCallException {
        String token = readToken();
        ManagedChannel ch = channel();
        // The agent's own retry loop paces attempts; the channel's reconnect backoff (real time, up to 2 min)
        // must not make an attempt fail without even trying to connect.
        if (ch.getState(false) == io.grpc.ConnectivityState.TRANSIENT_FAILURE) {
            ch.resetConnectBackoff();
        }
        Metadata headers = headers(token);
        IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
                .setCsr(csrPem).setValidityDuration(ttl.toSeconds()).build();
        try {
            IstioCertificateResponse response = IstioCertificateServiceGrpc.newBlockingStub(ch)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                    .createCertificate(request);
            return List.copyOf(response.getCertChainList());
        } catch (StatusRuntimeException e) {
            Status s = e.getStatus();
            String why = s.getDescription() != null ? s.getDescription()
                    : s.getCause() != null ? String.valueOf(s.getCause().getMessage()) : "no description";
            throw new CaCallException(s.getCode(), "CA " + host + ":" + port + " answered " + s.getCode()
                    + ": " + why, e);
        }
    }

    private String readToken() throws CaCallException {
        try {
            String token = Files.readString(tokenPath, StandardCharsets.US_ASCII).trim();
            if (token.isEmpty()) {
                throw new CaCallException(Status.Code.UNAUTHENTICATED, "the token file " + tokenPath
                        + " is empty; mount the projected service-account token there or set --token-path");
            }
            return token;
        } catch (IOException e) {
            throw new CaCallException(Status.Code.UNAUTHENTICATED, "cannot read the token file " + tokenPath
                    + " (" + e + "); mount the projected service-account token there or set --token-path");
        }
    }

    /**
     * The channel, built once over {@link ReloadingTrust}; the root file is re-read on every call and a
     * changed file replaces the trusted roots for the next handshake (open connections were verified already).
     */
    private synchronized ManagedChannel channel() throws CaCallException {
        byte[] roots;
        try {
            roots = Files.readAllBytes(caRoot);
        } catch (IOException e) {
            throw new CaCallException(Status.Code.UNAVAILABLE, "cannot read the CA root file " + caRoot + " ("
                    + e + "); set --ca-root to the PEM root that issued the CA's certificate");
        }
        if (!Arrays.equals(roots, channelRoots)) {
            try {
                trust.fileRoots(Pem.readCertificates(new String(roots, StandardCharsets.US_ASCII)));
            } catch (PkiException | GeneralSecurityException e) {
                throw new CaCallException(Status.Code.UNAVAILABLE, "the CA root file " + caRoot
                        + " holds no usable certificate: " + e.getMessage());
            }
            channelRoots = roots;
        }
        if (channel != null) {
            return channel;
        }
        try {
            channel = NettyChannelBuilder.forAddress(host, port)
                    .eventLoopGroup(group)
                    .channelType(NioSocketChannel.class)
                    .sslContext(GrpcSslContexts.forClient().trustManager(trust).build())
                    .overrideAuthority(serverName)
                    // The trust-bundle stream can stay quiet for days; pings keep it inside the CA's idle timeout.
                    .keepAliveTime(KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
                    .directExecutor()
                    .build();
            return channel;
        } catch (SSLException e) {
            throw new CaCallException(Status.Code.INTERNAL, "cannot set up TLS to the CA: " + e.getMessage(), e);
        }
    }

    @Override
    public StreamObserver<BundleAck> openBundleStream(StreamObserver<TrustBundle> bundles) throws CaCallException {
        ManagedChannel ch = channel();
        if (ch.getState(false) == io.grpc.ConnectivityState.TRANSIENT_FAILURE) {
            ch.resetConnectBackoff();
        }
        return TrustBundleServiceGrpc.newStub(ch)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(readToken())))
                .watchBundle(bundles);
    }

    @Override
    public void trustBundleRoots(List<X509Certificate> roots) {
        try {
            trust.bundleRoots(roots);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager for the CA's bundle: " + e.getMessage(), e);
        }
    }

    /** The roots trusted for TLS to the CA now: the CA root file's and the CA bundle's. */
    public List<X509Certificate> trustedRoots() {
        return trust.roots();
    }

    private Metadata headers(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        clusterId.ifPresent(id -> headers.put(CLUSTER_ID, id));
        return headers;
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
