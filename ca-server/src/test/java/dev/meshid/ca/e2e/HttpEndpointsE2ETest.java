package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.pki.pem.Pem;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health, readiness, metrics and the bundle, before and after the signing material arrives. */
class HttpEndpointsE2ETest {
    @TempDir
    Path dir;

    private static IstioCertificateServiceGrpc.IstioCertificateServiceBlockingStub stub(PlainCa ca, String sa) {
        return IstioCertificateServiceGrpc.newBlockingStub(ca.channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                        CaFixture.bearer(ca.tokens.token("default", sa))));
    }

    @Test
    void endpoints_beforeAndAfterSignerLoads_readinessFlipsAndCaAnswersUnavailableThenOk() throws Exception {
        try (PlainCa ca = new PlainCa(dir, null, Map.of())) {
            assertThat(ca.get("/healthz/live", null).statusCode()).isEqualTo(200);
            assertThat(ca.get("/healthz/ready", null).statusCode()).isEqualTo(503);
            assertThat(ca.get("/bundle", null).statusCode()).isEqualTo(503);
            IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
                    .setCsr(CaFixture.csr("default", "web")).build();
            assertThatThrownBy(() -> stub(ca, "web").createCertificate(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

            ca.keys.deliver(ca.bundle());

            await().atMost(Duration.ofSeconds(10)).until(() -> ca.get("/healthz/ready", null).statusCode() == 200);
            List<String> chain = stub(ca, "web").createCertificate(request).getCertChainList();
            ChainChecks.check(chain, List.of(ca.root.cert()), CaFixture.id("default", "web"));
        }
    }

    @Test
    void bundle_pemAndSpiffeJson_carryTheRoots() throws Exception {
        try (PlainCa ca = new PlainCa(dir, null, Map.of())) {
            ca.keys.deliver(ca.bundle());
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.get("/bundle", null).statusCode() == 200);

            assertThat(Pem.readCertificates(ca.get("/bundle", null).body())).containsExactly(ca.root.cert());
            var json = ca.get("/bundle", "application/json");
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode doc = new ObjectMapper().readTree(json.body());
            assertThat(doc.get("spiffe_sequence").asLong()).isPositive();
            assertThat(doc.get("keys")).hasSize(1);
            JsonNode key = doc.get("keys").get(0);
            assertThat(key.get("use").asText()).isEqualTo("x509-svid");
            assertThat(key.get("kty").asText()).isEqualTo("EC");
            assertThat(key.get("crv").asText()).isEqualTo("P-256");
            assertThat(key.get("x5c")).hasSize(1);
            assertThat(Base64.getDecoder().decode(key.get("x5c").get(0).asText())).isEqualTo(ca.root.cert().getEncoded());
        }
    }

    @Test
    void metrics_afterIssuanceAndFailures_carryIstioNamesAndLatencyHistogram() throws Exception {
        try (PlainCa ca = new PlainCa(dir, null, Map.of())) {
            IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
                    .setCsr(CaFixture.csr("default", "web")).build();
            assertThatThrownBy(() -> stub(ca, "web").createCertificate(request)).isInstanceOf(StatusRuntimeException.class);
            ca.keys.deliver(ca.bundle());
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.server.signer().ready());
            stub(ca, "web").createCertificate(request);
            assertThatThrownBy(() -> stub(ca, "other").createCertificate(request)).isInstanceOf(StatusRuntimeException.class);
            assertThatThrownBy(() -> IstioCertificateServiceGrpc.newBlockingStub(ca.channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).createCertificate(request))
                    .isInstanceOf(StatusRuntimeException.class);

            String metrics = ca.get("/metrics", null).body();

            assertThat(metrics).contains("# TYPE citadel_server_csr_count counter\ncitadel_server_csr_count 4\n");
            assertThat(metrics).contains("citadel_server_success_cert_issuance_count 1\n");
            assertThat(metrics).contains("citadel_server_authentication_failure_count 1\n");
            assertThat(metrics).contains("citadel_server_csr_sign_err_count{error=\"CANotReady\"} 1\n");
            assertThat(metrics).contains("citadel_server_csr_sign_err_count{error=\"CSRError\"} 1\n");
            assertThat(metrics).contains("citadel_server_root_cert_expiry_timestamp "
                    + ca.root.cert().getNotAfter().toInstant().getEpochSecond() + "\n");
            assertThat(metrics).contains("citadel_server_cert_chain_expiry_timestamp "
                    + ca.signing.cert().getNotAfter().toInstant().getEpochSecond() + "\n");
            assertThat(metrics).contains("meshid_ca_csr_duration_seconds_bucket{result=\"ok\"");
            assertThat(metrics).contains("meshid_ca_csr_duration_seconds_count{result=\"ok\"} 1");
            assertThat(metrics).doesNotContain("citadel_server_csr_count_total");
        }
    }

    @Test
    void keySource_rejectedNewMaterial_keepsSigningAndCountsTheRefusal() throws Exception {
        try (PlainCa ca = new PlainCa(dir, null, Map.of())) {
            ca.keys.deliver(ca.bundle());
            ca.keys.reject("ca-key.pem does not match ca-cert.pem");

            assertThat(ca.server.signer().rejectedCount()).isEqualTo(1);
            assertThat(ca.get("/metrics", null).body()).contains("meshid_ca_keysource_rejected_total 1.0");
            List<String> chain = stub(ca, "web").createCertificate(IstioCertificateRequest.newBuilder()
                    .setCsr(CaFixture.csr("default", "web")).build()).getCertChainList();
            ChainChecks.check(chain, List.of(ca.root.cert()), CaFixture.id("default", "web"));
        }
    }
}
