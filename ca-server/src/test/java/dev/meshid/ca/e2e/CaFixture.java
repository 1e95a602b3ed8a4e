package dev.meshid.ca.e2e;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A CA on 127.0.0.1 with a plug-in CA made at test time (root -> intermediate -> signing intermediate, written
 * as Istio's four files) and JWT authentication against a JWKS file minted at test time, plus a grpc-java
 * client over TLS that trusts the root.
 */
final class CaFixture implements AutoCloseable {
    static final String AUTHORITY = "istiod.istio-system.svc";
    static final String TD = "cluster.local";

    final TestPki.Issued root;
    final TestPki.Issued middle;
    final TestPki.Issued signing;
    final Tokens tokens = new Tokens("key-1");
    final CaServer server;
    final InetSocketAddress address;
    final ManagedChannel channel;

    CaFixture(Path dir, Map<Setting, String> extra) throws Exception {
        root = TestPki.root("Root CA").key(KeyAlgorithm.EC_P256).validFor(Duration.ofDays(365)).build();
        middle = root.intermediate("Middle CA").pathLen(1).validFor(Duration.ofDays(200)).build();
        signing = middle.intermediate("Signing CA").validFor(Duration.ofDays(180)).build();
        Path cacerts = dir.resolve("cacerts");
        new KeyCertBundle(signing.signer(), List.of(middle.cert()), new TrustBundle(List.of(root.cert())))
                .writePluginFiles(cacerts);
        Path jwks = Files.writeString(dir.resolve("jwks.json"), tokens.jwks());
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.CACERTS_DIR, cacerts.toString());
        flags.put(Setting.JWKS_FILE, jwks.toString());
        flags.put(Setting.JWT_ISSUER, Tokens.ISSUER);
        flags.putAll(extra);
        CaConfig config = ConfigLoader.load(flags, Map.of());
        server = CaServer.builder(config).env(Map.of()).build().start();
        address = server.grpcAddress().get(30, TimeUnit.SECONDS);
        channel = channel(TlsChannelCredentials.newBuilder()
                .trustManager(new ByteArrayInputStream(Pem.write(root.cert()).getBytes(StandardCharsets.US_ASCII)))
                .build());
    }

    ManagedChannel channel(ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(), credentials)
                .overrideAuthority(AUTHORITY).build();
    }

    static SpiffeId id(String ns, String sa) {
        return SpiffeId.parse("spiffe://" + TD + "/ns/" + ns + "/sa/" + sa);
    }

    /** A CSR as meshid's agent makes it: EC P-256, the SPIFFE ID as the one critical URI SAN. */
    static String csr(String ns, String sa) throws Exception {
        return Pem.write(CsrBuilder.forKeyPair(Keys.generate(KeyAlgorithm.EC_P256), id(ns, sa)).build());
    }

    IstioCertificateServiceGrpc.IstioCertificateServiceBlockingStub stub(Metadata headers) {
        return IstioCertificateServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return m;
    }

    /** A good request for default/web, authenticated with a fresh token. */
    IstioCertificateResponse issue(String ns, String sa) throws Exception {
        return stub(bearer(tokens.token(ns, sa))).createCertificate(IstioCertificateRequest.newBuilder()
                .setCsr(csr(ns, sa)).build());
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
