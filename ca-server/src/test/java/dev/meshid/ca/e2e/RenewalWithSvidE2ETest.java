package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.testing.CapturedLog;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renewal with an SVID as the TLS client certificate and no token (the client-certificate authenticator). */
class RenewalWithSvidE2ETest {
    @TempDir
    Path dir;
    private CaFixture ca;

    @BeforeEach
    void start() throws Exception {
        ca = new CaFixture(dir, Map.of());
    }

    @AfterEach
    void stop() {
        ca.close();
    }

    /** A channel that presents {@code chainPem} with {@code key} and trusts the CA's root. */
    private ManagedChannel presenting(String chainPem, KeyPair key) throws Exception {
        return ca.channel(TlsChannelCredentials.newBuilder()
                .trustManager(stream(Pem.write(ca.root.cert())))
                .keyManager(stream(chainPem), stream(Pem.writePrivateKey(key.getPrivate())))
                .build());
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static IstioCertificateResponse createWithoutToken(ManagedChannel channel, String ns, String sa)
            throws Exception {
        return IstioCertificateServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(CaFixture.csr(ns, sa)).build());
    }

    @Test
    void createCertificate_validSvidOfThisCaAndNoToken_getsANewCertificateForTheSameIdentity() throws Exception {
        KeyPair key = Keys.generate(KeyAlgorithm.EC_P256);
        IstioCertificateResponse first = ca.stub(CaFixture.bearer(ca.tokens.token("default", "web")))
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(Pem.write(CsrBuilder.forKeyPair(key,
                        CaFixture.id("default", "web")).build())).build());
        List<String> chain = first.getCertChainList();
        String leafAndIntermediates = String.join("", chain.subList(0, chain.size() - 1));
        ManagedChannel withSvid = presenting(leafAndIntermediates, key);
        try {
            IstioCertificateResponse renewed = createWithoutToken(withSvid, "default", "web");

            ChainChecks.check(renewed.getCertChainList(), List.of(ca.root.cert()), CaFixture.id("default", "web"));
            assertThat(renewed.getCertChain(0)).isNotEqualTo(chain.get(0));
            StatusRuntimeException other = catchThrowableOfType(StatusRuntimeException.class,
                    () -> createWithoutToken(withSvid, "default", "db"));
            assertThat(other.getStatus().getCode()).as("the SVID's identity only").isNotEqualTo(Status.Code.OK);
        } finally {
            withSvid.shutdownNow();
        }
    }

    @Test
    void createCertificate_svidFromAnotherRoot_isUnauthenticatedAndTheCaKeepsServing() throws Exception {
        TestPki.Issued strangerRoot = TestPki.root("Stranger Root").validFor(Duration.ofDays(30)).build();
        TestPki.Issued forged = strangerRoot.svid(CaFixture.id("default", "web")).validFor(Duration.ofDays(1)).build();
        ManagedChannel withForged = presenting(Pem.write(forged.cert()), forged.keyPair());
        try {
            StatusRuntimeException e;
            try (CapturedLog log = new CapturedLog()) {
                e = catchThrowableOfType(StatusRuntimeException.class,
                        () -> createWithoutToken(withForged, "default", "web"));

                // The handshake succeeds: the CA only requests a client certificate and names its roots as the
                // accepted issuers, so the client's key manager sends none; the request then carries no credential.
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(log.text()).contains("carries no credential"));
            }
        } finally {
            withForged.shutdownNow();
        }
        IstioCertificateResponse stillServing = ca.issue("default", "web");
        ChainChecks.check(stillServing.getCertChainList(), List.of(ca.root.cert()), CaFixture.id("default", "web"));
    }
}
