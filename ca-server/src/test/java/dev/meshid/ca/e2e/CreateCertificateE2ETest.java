package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.pem.Pem;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA end to end: real TLS gRPC on 127.0.0.1, a plug-in CA, JWT authentication, openssl verify. */
class CreateCertificateE2ETest {
    @TempDir
    static Path dir;
    static CaFixture ca;

    @BeforeAll
    static void start() throws Exception {
        ca = new CaFixture(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        ca.close();
    }

    @Test
    void createCertificate_validTokenAndCsr_returnsLeafEachIntermediateAndRootBundleThatOpensslVerifies()
            throws Exception {
        IstioCertificateResponse response = ca.issue("default", "web");

        List<String> chain = response.getCertChainList();
        assertThat(chain).hasSize(4);
        X509Certificate leaf = ChainChecks.check(chain, List.of(ca.root.cert()), CaFixture.id("default", "web"));
        assertThat(Pem.readCertificate(chain.get(1))).isEqualTo(ca.signing.cert());
        assertThat(Pem.readCertificate(chain.get(2))).isEqualTo(ca.middle.cert());
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
    }

    @Test
    void createCertificate_zeroOrNegativeTtl_getsTheDefault24Hours() throws Exception {
        for (long ttl : new long[] {0, -5}) {
            IstioCertificateResponse response = ca.stub(CaFixture.bearer(ca.tokens.token("default", "web")))
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "web"))
                            .setValidityDuration(ttl).build());
            X509Certificate leaf = Pem.readCertificate(response.getCertChain(0));
            Duration life = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
            assertThat(life).as("ttl %s", ttl).isEqualTo(Duration.ofHours(24).plusMinutes(2));
        }
    }

    @Test
    void createCertificate_requestedTtl_isHonouredWithNotBeforeBackdatedTwoMinutes() throws Exception {
        Instant before = Instant.now();
        IstioCertificateResponse response = ca.stub(CaFixture.bearer(ca.tokens.token("default", "web")))
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "web"))
                        .setValidityDuration(3600).build());
        X509Certificate leaf = Pem.readCertificate(response.getCertChain(0));
        assertThat(leaf.getNotBefore().toInstant()).isBetween(before.minusSeconds(121 + 1), before.minusSeconds(119 - 5));
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofMinutes(62));
    }

    @Test
    void createCertificate_ttlBeyondTheSigningChain_isCutToTheChainsEarliestNotAfter() throws Exception {
        long eightyNineDays = Duration.ofDays(89).toSeconds();
        IstioCertificateResponse response = ca.stub(CaFixture.bearer(ca.tokens.token("default", "web")))
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "web"))
                        .setValidityDuration(eightyNineDays).build());
        X509Certificate leaf = Pem.readCertificate(response.getCertChain(0));
        // The signing CA lives 180 days, so 89 days fits and is not cut.
        assertThat(leaf.getNotAfter()).isBefore(ca.signing.cert().getNotAfter());
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(89).plusMinutes(2));
    }

    @Test
    void createCertificate_likeIstioAgent_rsa2048OrgSubjectCriticalUriSanHeadersAndEmptyCertSigner()
            throws Exception {
        KeyPair rsa = Keys.generate(KeyAlgorithm.RSA_2048);
        String csr = Pem.write(CsrBuilder.forKeyPair(rsa, CaFixture.id("bookinfo", "reviews"))
                .subject("O=" + CaFixture.TD).build());
        Metadata headers = CaFixture.bearer(ca.tokens.token("bookinfo", "reviews"));
        headers.put(Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER), "Kubernetes");
        IstioCertificateRequest request = IstioCertificateRequest.newBuilder().setCsr(csr)
                .setValidityDuration(Duration.ofHours(24).toSeconds())
                .setMetadata(Struct.newBuilder().putFields("CertSigner", Value.newBuilder().setStringValue("").build()))
                .build();

        List<String> chain = ca.stub(headers).createCertificate(request).getCertChainList();

        // istio-agent: more than one element, the last is the root it will trust.
        assertThat(chain.size()).isGreaterThan(1);
        assertThat(Pem.readCertificates(chain.get(chain.size() - 1))).containsExactly(ca.root.cert());
        X509Certificate leaf = ChainChecks.check(chain, List.of(ca.root.cert()), CaFixture.id("bookinfo", "reviews"));
        assertThat(leaf.getPublicKey()).isEqualTo(rsa.getPublic());
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17");
    }

    @Test
    void createCertificate_renewalWithClientCertificateOnly_authenticatesByTheSvid() throws Exception {
        KeyPair key = Keys.generate(KeyAlgorithm.EC_P256);
        String csr = Pem.write(CsrBuilder.forKeyPair(key, CaFixture.id("default", "renew")).build());
        List<String> first = ca.stub(CaFixture.bearer(ca.tokens.token("default", "renew")))
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(csr).build()).getCertChainList();
        String certChain = String.join("", first.subList(0, first.size() - 1));
        ChannelCredentials mtls = TlsChannelCredentials.newBuilder()
                .keyManager(stream(certChain), stream(Pem.writePrivateKey(key.getPrivate())))
                .trustManager(stream(Pem.write(ca.root.cert()))).build();
        ManagedChannel channel = ca.channel(mtls);
        try {
            List<String> second = IstioCertificateServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("default", "renew"))
                            .build()).getCertChainList();
            ChainChecks.check(second, List.of(ca.root.cert()), CaFixture.id("default", "renew"));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void createCertificate_servingCertificate_carriesConfiguredDnsNamesAndChainsToTheRoot() throws Exception {
        // The TLS handshake of every test already checks it against the root and the authority; here the SANs.
        assertThat(ca.channel).isNotNull();
        IstioCertificateResponse ok = ca.issue("default", "web");
        assertThat(ok.getCertChainCount()).isEqualTo(4);
        ManagedChannel wrongName = io.grpc.Grpc.newChannelBuilderForAddress(ca.address.getHostString(),
                ca.address.getPort(), TlsChannelCredentials.newBuilder().trustManager(stream(Pem.write(ca.root.cert())))
                        .build()).overrideAuthority("not-the-ca.example").build();
        try {
            assertThatThrownBy(() -> IstioCertificateServiceGrpc.newBlockingStub(wrongName)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(CaFixture.bearer(ca.tokens.token("a", "b"))))
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr("a", "b")).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            wrongName.shutdownNow();
        }
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }
}
