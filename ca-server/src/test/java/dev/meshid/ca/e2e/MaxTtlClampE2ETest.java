package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.testing.CapturedLog;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A max TTL longer than the signing CA lives: the CA starts, warns, and cuts certificates to the CA's end. */
class MaxTtlClampE2ETest {
    @TempDir
    Path dir;

    @Test
    void start_maxTtlBeyondTheSigningCertificate_warnsAndClampsIssuedCertificates() throws Exception {
        TestPki.Issued root = TestPki.root("Clamp Root").validFor(Duration.ofDays(365)).build();
        TestPki.Issued signing = root.intermediate("Short Signing").validFor(Duration.ofDays(10)).build();
        new KeyCertBundle(signing.signer(), List.of(), new TrustBundle(List.of(root.cert())))
                .writePluginFiles(dir.resolve("cacerts"));
        Tokens tokens = new Tokens("k1");
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.CACERTS_DIR, dir.resolve("cacerts").toString());
        flags.put(Setting.JWKS_FILE, Files.writeString(dir.resolve("jwks.json"), tokens.jwks()).toString());
        flags.put(Setting.JWT_ISSUER, Tokens.ISSUER);
        flags.put(Setting.MAX_TTL, "720h");

        try (CapturedLog log = new CapturedLog();
                CaServer ca = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of()).build().start()) {
            InetSocketAddress address = ca.grpcAddress().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.text().lines()
                    .filter(l -> l.contains("WARN") && l.contains("sooner than the max TTL")).toList())
                    .singleElement().asString().contains("PT720H", "rotate the CA or lower the max TTL"));
            ManagedChannel channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
                    TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(Pem.write(root.cert())
                            .getBytes(StandardCharsets.US_ASCII))).build()).overrideAuthority(CaFixture.AUTHORITY).build();
            try {
                List<String> chain = IstioCertificateServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                                CaFixture.bearer(tokens.token("default", "web"))))
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "web"))
                                .setValidityDuration(Duration.ofDays(20).toSeconds()).build()).getCertChainList();

                X509Certificate leaf = ChainChecks.check(chain, List.of(root.cert()), CaFixture.id("default", "web"));
                assertThat(leaf.getNotAfter()).isEqualTo(signing.cert().getNotAfter());
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
