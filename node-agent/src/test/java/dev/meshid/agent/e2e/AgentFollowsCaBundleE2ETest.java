package dev.meshid.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.bundle.AppliedBundle;
import dev.meshid.agent.bundle.WatchState;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.ca.rotation.RotationJson;
import dev.meshid.ca.rotation.RotationReport;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.TrustBundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on real time against a real meshid CA: a root added to the CA's plug-in bundle reaches the agent
 * over the bundle stream (same TLS channel and token as certificate requests), is pushed as SDS {@code ROOTCA}
 * with both roots, written to {@code root-cert.pem}, shown on {@code /debug/certs} and counted; the CA records
 * the agent's ack, which came only after the SDS client had ACKed.
 */
class AgentFollowsCaBundleE2ETest {
    @TempDir
    Path dir;

    @Test
    void newRootInTheCaBundle_reachesSdsFilesAndDebug_andTheCaSeesTheAck() throws Exception {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
        try (RealCa ca = new RealCa(dir)) {
            Path token = Files.writeString(dir.resolve("token"), ca.token("shop", "web"));
            Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
            flags.put(AgentSetting.CA_ADDR, "127.0.0.1:" + ca.port());
            flags.put(AgentSetting.CA_SERVER_NAME, RealCa.SERVER_NAME);
            flags.put(AgentSetting.CA_ROOT, ca.rootFile.toString());
            flags.put(AgentSetting.TOKEN_PATH, token.toString());
            flags.put(AgentSetting.POD_NAMESPACE, "shop");
            flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
            flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
            flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
            flags.put(AgentSetting.ADMIN_ADDR, "127.0.0.1:0");
            flags.put(AgentSetting.OUTPUT_CERTS, dir.resolve("out").toString());
            try (NodeAgent agent = NodeAgent.builder(ConfigLoader.load(flags, Map.of())).start();
                    SdsClient sds = new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(dir.resolve("sds.sock"))))
                            .names(List.of("default", "ROOTCA")).scheduler(Scheduler.of(exec))
                            .random(new SplittableRandom(3)).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> agent.cache().ready()
                        && agent.bundleView().state() == WatchState.CONNECTED && sds.secret("ROOTCA").isPresent());
                TestPki.Issued rootB = TestPki.root("E2E Root B").validFor(Duration.ofDays(400)).build();

                ca.trustRoots(List.of(ca.root.cert(), rootB.cert()));

                await().atMost(Duration.ofSeconds(30)).until(() -> ((TrustBundle) sds.secret("ROOTCA").orElseThrow())
                        .certificates().size() == 2);
                // The agent acks only after applying everywhere, so once the CA has the ack the file is written.
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    RotationReport r = report(ca);
                    return r.agentsAcked() == 1 && r.lacking(Certs.fingerprint(rootB.cert())).isEmpty();
                });
                AppliedBundle applied = agent.cache().streamBundle().orElseThrow();
                assertThat(applied.certificates()).containsExactlyInAnyOrder(ca.root.cert(), rootB.cert());
                assertThat(Pem.readCertificates(Files.readString(dir.resolve("out/root-cert.pem"))))
                        .containsExactlyInAnyOrder(ca.root.cert(), rootB.cert());
                assertThat(report(ca).bundleVersion()).contains(applied.version());
                assertThat(get(agent, "/debug/certs")).contains("\"stream\":\"CONNECTED\"")
                        .contains("\"version\":\"" + applied.version() + "\"")
                        .contains(Certs.fingerprint(rootB.cert()));
                assertThat(get(agent, "/metrics")).contains("meshid_agent_bundle_updates_total 2.0")
                        .contains("meshid_agent_bundle_rejected_total 0.0");
            }
        } finally {
            exec.shutdownNow();
        }
    }

    private static RotationReport report(RealCa ca) throws Exception {
        return RotationJson.read(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ca.httpPort() + "/debug/rotation")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String get(NodeAgent agent, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + agent.adminAddress().orElseThrow().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
