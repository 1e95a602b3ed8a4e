package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's own TLS certificate follows the signer: a new CA (new root) is served without a restart. */
class ServingCertificateE2ETest {
    @TempDir
    Path dir;

    private static boolean callSucceeds(InetSocketAddress at, X509Certificate trustedRoot, String token) {
        ManagedChannel ch;
        try {
            ch = Grpc.newChannelBuilderForAddress(at.getHostString(), at.getPort(),
                TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                        Pem.write(trustedRoot).getBytes(StandardCharsets.US_ASCII))).build())
                .overrideAuthority("meshid-ca.istio-system.svc").build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            IstioCertificateServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(CaFixture.bearer(token)))
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "web")).build());
            return true;
        } catch (Exception e) {
            return false;
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void servingCertificate_signerSwitchesToNewRoot_newConnectionsAreServedUnderTheNewRoot() throws Exception {
        Tokens tokens = new Tokens("k");
        ManualKeySource keys = new ManualKeySource();
        Map<Setting, String> flags = Map.of(Setting.GRPC_ADDR, "127.0.0.1:0", Setting.HTTP_ADDR, "127.0.0.1:0",
                Setting.JWKS_FILE, Files.writeString(dir.resolve("jwks.json"), tokens.jwks()).toString(),
                Setting.JWT_ISSUER, Tokens.ISSUER);
        TestPki.Issued rootA = TestPki.root("Root A").validFor(Duration.ofDays(30)).build();
        TestPki.Issued rootB = TestPki.root("Root B").validFor(Duration.ofDays(30)).build();
        try (CaServer server = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of()).keySource(keys)
                .build().start()) {
            keys.deliver(new KeyCertBundle(rootA.signer(), List.of(), new TrustBundle(List.of(rootA.cert()))));
            InetSocketAddress at = server.grpcAddress().get(30, TimeUnit.SECONDS);
            String token = tokens.token("default", "web");
            assertThat(callSucceeds(at, rootA.cert(), token)).isTrue();
            assertThat(callSucceeds(at, rootB.cert(), token)).as("not yet under root B").isFalse();

            keys.deliver(new KeyCertBundle(rootB.signer(), List.of(), new TrustBundle(List.of(rootB.cert()))));

            await().atMost(Duration.ofSeconds(10)).until(() -> callSucceeds(at, rootB.cert(), token));
            assertThat(callSucceeds(at, rootA.cert(), token)).as("the old root no longer vouches for the CA").isFalse();
        }
    }
}
