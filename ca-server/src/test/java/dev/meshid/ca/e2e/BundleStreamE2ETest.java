package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.ca.bundle.AgentView;
import dev.meshid.pki.pem.Pem;
import io.grpc.Metadata;
import io.grpc.Status;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code WatchBundle} over real TLS gRPC with JWT authentication: first bundle, acks, counts, refusals. */
class BundleStreamE2ETest {
    @TempDir
    static java.nio.file.Path dir;
    static CaFixture ca;

    @BeforeAll
    static void start() throws Exception {
        ca = new CaFixture(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        ca.close();
    }

    /** The contract's version, computed here independently: SHA-256 over the sorted DER roots. */
    static String version(List<X509Certificate> roots) throws Exception {
        List<byte[]> ders = new ArrayList<>();
        for (X509Certificate r : roots) {
            ders.add(r.getEncoded());
        }
        ders.sort(Arrays::compareUnsigned);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ders.forEach(sha::update);
        return HexFormat.of().formatHex(sha.digest());
    }

    static List<X509Certificate> roots(TrustBundle b) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (String pem : b.getRootsPemList()) {
            out.add(Pem.readCertificate(pem));
        }
        return out;
    }

    @Test
    void watchBundle_validToken_getsTheCurrentBundleAtOnceWithItsVersion() throws Exception {
        try (BundleStream s = new BundleStream(ca.channel, CaFixture.bearer(ca.tokens.token("istio-system", "agent")))) {
            TrustBundle first = s.next();

            assertThat(roots(first)).containsExactly(ca.root.cert());
            assertThat(first.getVersion()).isEqualTo(version(List.of(ca.root.cert())));
        }
    }

    @Test
    void watchBundle_ackOfCurrentVersion_isCountedWithTheCallersIdentityAndInMetrics() throws Exception {
        try (BundleStream s = new BundleStream(ca.channel, CaFixture.bearer(ca.tokens.token("istio-system", "node-a")))) {
            TrustBundle first = s.next();
            await().atMost(Duration.ofSeconds(10)).until(() -> agent("node-a") != null);
            assertThat(agent("node-a").ackedCurrent()).isFalse();

            s.ack(first.getVersion());

            await().atMost(Duration.ofSeconds(10)).until(() -> agent("node-a").ackedCurrent());
            AgentView a = agent("node-a");
            assertThat(a.identity()).isEqualTo(CaFixture.id("istio-system", "node-a").toString());
            assertThat(a.ackedRoots()).containsExactly(dev.meshid.pki.cert.Certs.fingerprint(ca.root.cert()));
            String metrics = ca.server.metrics().scrape();
            assertThat(metrics).containsPattern("(?m)^meshid_ca_bundle_agents_connected [1-9]")
                    .containsPattern("(?m)^meshid_ca_bundle_agents_acked [1-9]");
        }
    }

    @Test
    void watchBundle_refusal_isRecordedAndNotCountedAsAcked() throws Exception {
        try (BundleStream s = new BundleStream(ca.channel, CaFixture.bearer(ca.tokens.token("istio-system", "node-r")))) {
            TrustBundle first = s.next();

            s.refuse(first.getVersion(), "cannot write ROOTCA: disk full");

            await().atMost(Duration.ofSeconds(10)).until(() -> agent("node-r") != null
                    && agent("node-r").lastError().isPresent());
            assertThat(agent("node-r").lastError()).contains("cannot write ROOTCA: disk full");
            assertThat(agent("node-r").ackedCurrent()).isFalse();
        }
    }

    @Test
    void watchBundle_streamClosedByTheAgent_isNoLongerConnected() throws Exception {
        BundleStream s = new BundleStream(ca.channel, CaFixture.bearer(ca.tokens.token("istio-system", "node-c")));
        s.next();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent("node-c") != null);

        s.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent("node-c") == null);
        s.finished.get(10, TimeUnit.SECONDS);
    }

    @Test
    void watchBundle_noToken_isUnauthenticatedAndNotRegistered() throws Exception {
        int before = ca.server.bundleWatchers().connected();
        BundleStream s = new BundleStream(ca.channel, new Metadata());

        assertThat(s.finished).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class)
                .satisfies(e -> assertThat(Status.fromThrowable(e.getCause()).getCode())
                        .isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(s.received).isEmpty();
        assertThat(ca.server.bundleWatchers().connected()).isLessThanOrEqualTo(before);
    }

    private static AgentView agent(String sa) {
        String id = CaFixture.id("istio-system", sa).toString();
        return ca.server.bundleWatchers().agents().stream().filter(a -> a.identity().equals(id)).findFirst()
                .orElse(null);
    }
}
