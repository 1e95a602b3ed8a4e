package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.ca.rotation.RotationJson;
import dev.meshid.ca.rotation.RotationReport;
import dev.meshid.ca.rotation.RotationStep;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second root written into the watched {@code root-cert.pem}: the bundle stream pushes both roots with a new
 * version, and every place the CA shows its trust bundle (the response's last element, {@code /bundle} PEM and
 * SPIFFE JSON) holds both, while leaves still verify (openssl) against the old root.
 */
class TwoRootsE2ETest {
    @TempDir
    Path dir;

    @Test
    void newRootInTheCacertsBundle_reachesTheStreamTheResponseAndBundleEndpoints() throws Exception {
        try (CaFixture ca = new CaFixture(dir, Map.of());
             BundleStream s = new BundleStream(ca.channel, CaFixture.bearer(ca.tokens.token("istio-system", "agent")))) {
            TrustBundle first = s.next();
            TestPki.Issued next = TestPki.root("Next Root CA").validFor(Duration.ofDays(730)).build();
            List<X509Certificate> both = List.of(ca.root.cert(), next.cert());

            Path tmp = Files.writeString(dir.resolve("cacerts/.root-cert.pem.tmp"), Pem.write(both),
                    StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve("cacerts/root-cert.pem"), StandardCopyOption.ATOMIC_MOVE);

            TrustBundle second = s.next();
            assertThat(BundleStreamE2ETest.roots(second)).containsExactlyInAnyOrderElementsOf(both);
            assertThat(second.getVersion()).isEqualTo(BundleStreamE2ETest.version(both))
                    .isNotEqualTo(first.getVersion());
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.server.bundleWatchers().agents().size() == 1);
            assertThat(ca.server.bundleWatchers().ackedCurrent()).isZero();
            s.ack(second.getVersion());
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.server.bundleWatchers().ackedCurrent() == 1);

            ChainChecks.check(ca.issue("default", "web").getCertChainList(), both, CaFixture.id("default", "web"));
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + ca.server.httpPort() + "/bundle";
            String pem = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(Pem.readCertificates(pem)).containsExactlyInAnyOrderElementsOf(both);
            JsonNode jwks = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(jwks.get("keys")).hasSize(2);
            assertThat(List.of(jwks.get("keys").get(0).get("x5c").get(0).asText(),
                    jwks.get("keys").get(1).get("x5c").get(0).asText())).containsExactlyInAnyOrder(
                    java.util.Base64.getEncoder().encodeToString(ca.root.cert().getEncoded()),
                    java.util.Base64.getEncoder().encodeToString(next.cert().getEncoded()));

            HttpResponse<String> debug = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + ca.server.httpPort() + "/debug/rotation")).build(), HttpResponse.BodyHandlers.ofString());
            RotationReport report = RotationJson.read(debug.body());
            assertThat(report.state().step()).isEqualTo(RotationStep.NEW_ROOT_ADDED);
            assertThat(report.state().roots()).extracting(r -> r.fingerprint()).containsExactlyInAnyOrder(
                    Certs.fingerprint(ca.root.cert()), Certs.fingerprint(next.cert()));
            assertThat(report.state().signer().chainFingerprints()).containsExactly(Certs.fingerprint(
                    ca.signing.cert()), Certs.fingerprint(ca.middle.cert()), Certs.fingerprint(ca.root.cert()));
            assertThat(report.agentsConnected()).isEqualTo(1);
            assertThat(report.agentsAcked()).isEqualTo(1);
            assertThat(report.lacking(Certs.fingerprint(next.cert()))).isEmpty();
            String metrics = ca.server.metrics().scrape();
            assertThat(metrics).contains("meshid_ca_rotation_step 1\n")
                    .contains("meshid_ca_root_expiry_timestamp_seconds{fingerprint=\"" + Certs.fingerprint(next.cert())
                            + "\"} " + next.cert().getNotAfter().toInstant().getEpochSecond() + "\n")
                    .contains("citadel_server_root_cert_expiry_timestamp ");
        }
    }

    @Test
    void connectionDroppedByTheAgent_isNoLongerCounted() throws Exception {
        try (CaFixture ca = new CaFixture(dir, Map.of())) {
            io.grpc.ManagedChannel own = ca.channel(io.grpc.TlsChannelCredentials.newBuilder()
                    .trustManager(new java.io.ByteArrayInputStream(Pem.write(ca.root.cert())
                            .getBytes(StandardCharsets.US_ASCII))).build());
            BundleStream s = new BundleStream(own, CaFixture.bearer(ca.tokens.token("istio-system", "agent")));
            s.next();
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.server.bundleWatchers().connected() == 1);

            own.shutdownNow();

            await().atMost(Duration.ofSeconds(10)).until(() -> ca.server.bundleWatchers().connected() == 0);
        }
    }
}
