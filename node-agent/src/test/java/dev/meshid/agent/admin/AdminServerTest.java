package dev.meshid.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.SecretCache;
import dev.meshid.agent.bundle.AppliedBundle;
import dev.meshid.agent.bundle.WatchState;
import dev.meshid.agent.testing.Certs;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.TestPki;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoints on their own, over real HTTP on 127.0.0.1 (port 0). */
class AdminServerTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web");
    private final Clock clock = Clock.systemUTC();
    private final TestPki.Issued ca = TestPki.root("Admin Root").build().intermediate("Admin CA").build();
    private final SecretCache cache = new SecretCache(clock, false);
    private final AgentMetrics metrics = new AgentMetrics(cache, clock);
    private final AtomicInteger rotations = new AtomicInteger();
    private final AtomicBoolean rotates = new AtomicBoolean(true);
    private final AtomicReference<String> outputError = new AtomicReference<>();
    private final AtomicReference<AppliedBundle> bundle = new AtomicReference<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private AdminServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), new AdminServer.Sources(
                () -> cache.ready() ? Optional.empty() : Optional.of("no certificate yet"), metrics, cache::held,
                () -> Optional.ofNullable(outputError.get()), clock, () -> {
                    rotations.incrementAndGet();
                    return rotates.get();
                }, () -> new AdminServer.BundleView(WatchState.CONNECTED, Optional.ofNullable(bundle.get()))));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private IssuedCertificate hold() {
        IssuedCertificate c = Certs.issue(ca, ID, Duration.ofHours(1), clock);
        cache.accept(c, clock.instant().plus(Duration.ofMinutes(30)));
        return c;
    }

    @Test
    void ready_beforeAndAfterTheFirstCertificate_is503Then200() throws Exception {
        HttpResponse<String> before = send("GET", "/healthz/ready");
        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).contains("no certificate yet");
        hold();
        assertThat(send("GET", "/healthz/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void ready_withAnOutputError_staysReadyAndSaysWhy() throws Exception {
        hold();
        outputError.set("cannot write the certificate files to /x");
        HttpResponse<String> r = send("GET", "/healthz/ready");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("warning: cannot write the certificate files to /x");
        assertThat(send("GET", "/debug/certs").body()).contains("\"outputError\":\"cannot write the certificate"
                + " files to /x\"");
    }

    @Test
    void metrics_afterACertificate_carryIstioAndMeshidNames() throws Exception {
        IssuedCertificate c = hold();
        metrics.onIssued(c, Duration.ofMillis(5));
        HttpResponse<String> r = send("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(r.body()).contains("istio_agent_cert_expiry_seconds{resource_name=\"default\"}")
                .contains("meshid_agent_cert_expiry_timestamp_seconds " + (double) c.notAfter().getEpochSecond())
                .contains("istio_agent_num_outgoing_requests_total{request_type=\"csr\"} 1.0")
                .contains("meshid_agent_rotations_total 1.0");
    }

    @Test
    void debugCerts_describeTheHeldCertificate() throws Exception {
        assertThat(send("GET", "/debug/certs").body()).contains("\"certificate\":null");
        IssuedCertificate c = hold();
        HttpResponse<String> r = send("GET", "/debug/certs");
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).contains("\"serial\":\"" + c.serialHex() + "\"")
                .contains("\"spiffeId\":\"" + ID + "\"").contains("\"expired\":false")
                .contains(c.rootFingerprints().get(0));
    }

    @Test
    void debugCerts_showTheBundleStreamsVersionAndRootFingerprints() throws Exception {
        assertThat(send("GET", "/debug/certs").body())
                .contains("\"bundle\":{\"stream\":\"CONNECTED\",\"version\":null,\"rootFingerprintsSha256\":[]}");
        TestPki.Issued other = TestPki.root("Admin Root B").build();
        bundle.set(new AppliedBundle("v-ab", new TrustBundle(List.of(ca.root(), other.cert()))));

        String body = send("GET", "/debug/certs").body();

        assertThat(body).contains("\"version\":\"v-ab\"").contains("\"rootFingerprintsSha256\":[\""
                + dev.meshid.pki.cert.Certs.fingerprint(ca.root()) + "\",\"" + dev.meshid.pki.cert.Certs.fingerprint(other.cert()) + "\"]");
    }

    @Test
    void rotate_post_triggersARotationAndAnswers202WithTheOldSerial() throws Exception {
        IssuedCertificate c = hold();
        HttpResponse<String> r = send("POST", "/debug/rotate");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).contains("\"rotation\":\"scheduled\"")
                .contains("\"previousSerial\":\"" + c.serialHex() + "\"");
        assertThat(rotations.get()).isEqualTo(1);
    }

    @Test
    void rotate_postBeforeAnyCertificate_answersANullSerial() throws Exception {
        HttpResponse<String> r = send("POST", "/debug/rotate");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"previousSerial\":null");
        assertThat(rotations.get()).isEqualTo(1);
    }

    @Test
    void rotate_get_is405AndRotatesNothing() throws Exception {
        HttpResponse<String> r = send("GET", "/debug/rotate");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        assertThat(rotations.get()).isZero();
    }

    @Test
    void rotate_whenTheAgentDoesNotRotate_is409WithTheReason() throws Exception {
        rotates.set(false);
        HttpResponse<String> r = send("POST", "/debug/rotate");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("FILE_MOUNTED_CERTS");
    }

    @Test
    void readOnlyEndpoints_post_is405() throws Exception {
        for (String path : new String[] {"/healthz/ready", "/metrics", "/debug/certs"}) {
            HttpResponse<String> r = send("POST", path);
            assertThat(r.statusCode()).as(path).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).as(path).contains("GET, HEAD");
        }
    }
}
