package dev.meshid.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.bundle.WatchState;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.pki.testing.TestPki;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.workloadapi.DefaultX509Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on real time against a real meshid CA, seen by a SPIFFE workload through java-spiffe's
 * {@link DefaultX509Source}: a root added to the CA's plug-in bundle reaches the source's bundle for the trust
 * domain, next to the old root, without the workload reconnecting.
 */
class WorkloadApiFollowsCaBundleE2ETest {
    private static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("cluster.local");

    @TempDir
    Path dir;

    @Test
    void newRootInTheCaBundle_reachesTheX509SourcesBundle() throws Exception {
        try (RealCa ca = new RealCa(dir)) {
            Path token = Files.writeString(dir.resolve("token"), ca.token("shop", "web"));
            Path socket = dir.resolve("spiffe.sock");
            Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
            flags.put(AgentSetting.CA_ADDR, "127.0.0.1:" + ca.port());
            flags.put(AgentSetting.CA_SERVER_NAME, RealCa.SERVER_NAME);
            flags.put(AgentSetting.CA_ROOT, ca.rootFile.toString());
            flags.put(AgentSetting.TOKEN_PATH, token.toString());
            flags.put(AgentSetting.POD_NAMESPACE, "shop");
            flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
            flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
            flags.put(AgentSetting.WORKLOAD_API_SOCKET, socket.toString());
            flags.put(AgentSetting.ADMIN_ADDR, "off");
            try (NodeAgent agent = NodeAgent.builder(ConfigLoader.load(flags, Map.of())).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> agent.cache().ready()
                        && agent.bundleView().state() == WatchState.CONNECTED && Files.exists(socket));
                try (DefaultX509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions
                        .builder().spiffeSocketPath("unix://" + socket.toAbsolutePath())
                        .initTimeout(Duration.ofSeconds(20)).build())) {
                    assertThat(source.getX509Svid().getSpiffeId().toString())
                            .isEqualTo("spiffe://cluster.local/ns/shop/sa/web");
                    assertThat(source.getBundleForTrustDomain(TRUST_DOMAIN).getX509Authorities())
                            .containsExactly(ca.root.cert());
                    TestPki.Issued rootB = TestPki.root("E2E Root B").validFor(Duration.ofDays(400)).build();

                    ca.trustRoots(List.of(ca.root.cert(), rootB.cert()));

                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            source.getBundleForTrustDomain(TRUST_DOMAIN).getX509Authorities().size() == 2);
                    assertThat(source.getBundleForTrustDomain(TRUST_DOMAIN).getX509Authorities())
                            .containsExactlyInAnyOrder(ca.root.cert(), rootB.cert());
                    // The SVID itself still chains to the old root: only the trust set grew.
                    assertThat(source.getX509Svid().getChain().get(0).getIssuerX500Principal())
                            .isEqualTo(ca.signing.cert().getSubjectX500Principal());
                }
            }
        }
    }
}
