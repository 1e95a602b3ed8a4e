package dev.meshid.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.agent.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.vault.VaultCa;
import dev.meshid.ca.vault.VaultTestDouble;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.sds.Scheduler;
import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.client.SdsClient;
import dev.meshid.sds.client.SdsClientBuilder;
import dev.meshid.sds.client.StreamOpener;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 end to end: the real agent gets its certificate from the real meshid CA whose signing material comes
 * from the Vault test double (KV mode, and PKI upstream mode), receives it over SDS on a real Unix socket, and the
 * real {@code openssl verify} accepts the served chain against the root that only Vault holds.
 */
class AgentThroughVaultCaE2ETest {
    private static final String KV = "secret/meshid/cacerts";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private VaultTestDouble vault;
    private VaultCa ca;
    private NodeAgent agent;
    private SdsClient client;
    private final ScheduledExecutorService clientExec = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {client, agent, ca, vault}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
        clientExec.shutdownNow();
    }

    @Test
    void kvMode_agentServesOverSds_chainThatOpensslVerifiesAgainstTheVaultHeldRoot() throws Exception {
        vault = VaultTestDouble.http(Clock.systemUTC());
        vault.mountKv("secret", 2);
        TestPki.Issued root = TestPki.root("agent kv e2e root").build();
        TestPki.Issued signing = root.intermediate("meshid CA from Vault KV").build();
        vault.putKv(KV, new KeyCertBundle(signing.signer(), signing.intermediates(),
                new dev.meshid.pki.bundle.TrustBundle(List.of(root.cert()))).toPluginFiles());

        List<X509Certificate> served = servedChain(root.cert(), Map.of(Setting.VAULT_ADDR, vault.address(),
                Setting.VAULT_KV_PATH, KV), vault.addToken(Duration.ZERO, false, "secret/data/meshid/cacerts"));

        assertThat(served.subList(1, served.size())).containsExactly(signing.cert());
    }

    @Test
    void pkiMode_agentServesOverSds_chainThroughVaultSignedIntermediateThatOpensslVerifiesAgainstVaultsRoot()
            throws Exception {
        vault = VaultTestDouble.http(Clock.systemUTC());
        TestPki.Issued root = vault.mountPki("pki", "root-2025");
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.VAULT_ADDR, vault.address());
        flags.put(Setting.VAULT_PKI_MOUNT, "pki");
        flags.put(Setting.VAULT_PKI_TTL, "72h");
        flags.put(Setting.MAX_TTL, "24h");

        List<X509Certificate> served = servedChain(root.cert(), flags,
                vault.addToken(Duration.ZERO, false, "pki/root/sign-intermediate"));

        assertThat(served.subList(1, served.size())).containsExactly(vault.lastSigned);
        assertThat(vault.count("POST", "/v1/pki/root/sign-intermediate")).isEqualTo(1);
    }

    /**
     * Starts the CA with {@code vaultFlags} and the Vault token, then the agent trusting only {@code vaultRoot};
     * returns the chain the agent serves as SDS {@code default} once it has been checked by openssl.
     */
    private List<X509Certificate> servedChain(X509Certificate vaultRoot, Map<Setting, String> vaultFlags,
            String vaultToken) throws Exception {
        ca = new VaultCa(dir, vaultFlags, Map.of("VAULT_TOKEN", vaultToken));
        // The gRPC port opens once the CA holds signing material from Vault.
        int port = ca.server.grpcAddress().get(WAIT.toSeconds(), TimeUnit.SECONDS).getPort();
        agent = startAgent(port, Files.writeString(dir.resolve("vault-root.pem"), Pem.write(vaultRoot)));

        client = new SdsClientBuilder(StreamOpener.over(SdsChannels.unixSocket(agent.config().sdsSocket())))
                .names(List.of("default", "ROOTCA")).scheduler(Scheduler.of(clientExec))
                .random(new SplittableRandom(2)).start();
        await().atMost(WAIT).until(() -> client.secret("default").isPresent() && client.secret("ROOTCA").isPresent());
        List<X509Certificate> chain = ((TlsCertificate) client.secret("default").orElseThrow()).chain();
        assertThat(((TrustBundle) client.secret("ROOTCA").orElseThrow()).certificates()).containsExactly(vaultRoot);
        assertThat(SvidInfo.requireSpiffeId(chain.get(0)).toString())
                .isEqualTo("spiffe://cluster.local/ns/default/sa/web");

        OpenSsl.Result r = OpenSsl.verify(vaultRoot, chain.subList(1, chain.size()), chain.get(0),
                "-purpose", "sslclient");
        assertThat(r.ok()).as("openssl verify: %s", r.output()).isTrue();
        assertThat(r.output()).contains("OK");
        return chain;
    }

    private NodeAgent startAgent(int caPort, Path caRoot) throws Exception {
        // VaultCa's tokens are for default/web.
        Path token = Files.writeString(dir.resolve("istio-token"), ca.token());
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.CA_ADDR, "127.0.0.1:" + caPort);
        flags.put(AgentSetting.CA_SERVER_NAME, RealCa.SERVER_NAME);
        flags.put(AgentSetting.CA_ROOT, caRoot.toString());
        flags.put(AgentSetting.TOKEN_PATH, token.toString());
        flags.put(AgentSetting.POD_NAMESPACE, "default");
        flags.put(AgentSetting.SERVICE_ACCOUNT, "web");
        flags.put(AgentSetting.SECRET_TTL, "1h");
        flags.put(AgentSetting.SDS_SOCKET, dir.resolve("sds.sock").toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        flags.put(AgentSetting.ADMIN_ADDR, "127.0.0.1:0");
        return NodeAgent.builder(ConfigLoader.load(flags, Map.of())).random(new SplittableRandom(1)).start();
    }
}
