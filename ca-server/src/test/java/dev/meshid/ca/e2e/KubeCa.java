package dev.meshid.ca.e2e;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A CA on 127.0.0.1 with a plug-in CA made at test time and a Kubernetes client (TokenReview on), plus a TLS
 * grpc-java client that trusts its root. Closing it closes the Kubernetes client too (the CA owns it).
 */
final class KubeCa implements AutoCloseable {
    final TestPki.Issued root;
    final TestPki.Issued signing;
    final CaServer server;
    final ManagedChannel channel;

    KubeCa(Path dir, KubernetesClient client, Map<Setting, String> extra) throws Exception {
        root = TestPki.root("Kube Root CA").key(KeyAlgorithm.EC_P256).validFor(Duration.ofDays(365)).build();
        signing = root.intermediate("Kube Signing CA").validFor(Duration.ofDays(200)).build();
        Path cacerts = dir.resolve("cacerts");
        new KeyCertBundle(signing.signer(), List.of(), new TrustBundle(List.of(root.cert()))).writePluginFiles(cacerts);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.CACERTS_DIR, cacerts.toString());
        flags.put(Setting.TOKENREVIEW, "true");
        flags.putAll(extra);
        CaConfig config = ConfigLoader.load(flags, Map.of());
        server = CaServer.builder(config).env(Map.of()).kubernetes(client).build().start();
        InetSocketAddress address = server.grpcAddress().get(30, TimeUnit.SECONDS);
        channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
                TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                        Pem.write(root.cert()).getBytes(StandardCharsets.US_ASCII))).build())
                .overrideAuthority(CaFixture.AUTHORITY).build();
    }

    IstioCertificateServiceGrpc.IstioCertificateServiceBlockingStub stub(Metadata headers) {
        return IstioCertificateServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A request for {@code ns/sa}'s identity, optionally on behalf of it ({@code ImpersonatedIdentity}). */
    static IstioCertificateRequest request(String ns, String sa, boolean impersonate) throws Exception {
        IstioCertificateRequest.Builder b = IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr(ns, sa));
        if (impersonate) {
            b.setMetadata(Struct.newBuilder().putFields("ImpersonatedIdentity",
                    Value.newBuilder().setStringValue(CaFixture.id(ns, sa).toString()).build()));
        }
        return b.build();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
    }
}
