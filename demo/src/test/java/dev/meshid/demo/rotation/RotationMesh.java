package dev.meshid.demo.rotation;

import dev.meshid.agent.NodeAgent;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.keysource.CacertsDirKeySource;
import dev.meshid.ca.keysource.CacertsDirOptions;
import dev.meshid.demo.BookinfoApp;
import dev.meshid.demo.DemoPki;
import dev.meshid.demo.TokenIssuer;
import dev.meshid.demo.Topology;
import dev.meshid.proxy.ProxyServer;
import dev.meshid.proxy.config.AccessLogTarget;
import dev.meshid.proxy.config.HostPort;
import dev.meshid.proxy.config.ProxyConfig;
import dev.meshid.proxy.config.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The mesh of the rotation test, in this JVM on real loopback ports and Unix sockets: a CA on a watched
 * {@code cacerts} directory (root A, intermediate A), productpage's and details' agents with short-lived leaves,
 * their two proxies (details STRICT; productpage's outbound opens a new mTLS connection for every request), and
 * the details app. Root B and intermediate B are made up front, by the same code as {@code meshid certs}.
 */
final class RotationMesh implements AutoCloseable {
    static final String LEAF_TTL = "20s";

    final Path dir;
    final Path cacerts;
    final Path rootA;
    final Path rootB;
    final Path intermediateB;
    final Path outputCerts;
    CaServer ca;
    NodeAgent productpageAgent;
    NodeAgent detailsAgent;
    ProxyServer productpageProxy;
    ProxyServer detailsProxy;
    BookinfoApp details;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final ScheduledExecutorService caPolling = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-cacerts-poll");
        t.setDaemon(true);
        return t;
    });

    RotationMesh(Path dir) throws Exception {
        this.dir = dir;
        // B outlives A by a day: made in the same second, B must still be the newer root by NotAfter, which is how
        // the CA tells a finished switch (signing with the newest root) from a root merely added.
        makeCa(dir.resolve("a"), "A", 3650);
        makeCa(dir.resolve("b"), "B", 3651);
        rootA = dir.resolve("a/root/root-cert.pem");
        rootB = dir.resolve("b/root/root-cert.pem");
        intermediateB = dir.resolve("b/cacerts");
        cacerts = Files.createDirectories(dir.resolve("cacerts"));
        for (String f : List.of("ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem")) {
            Files.copy(dir.resolve("a/cacerts").resolve(f), cacerts.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        outputCerts = dir.resolve("pp-certs");
    }

    private static void makeCa(Path where, String name, int rootDays) throws Exception {
        DemoPki.certs(List.of("root-ca", "--out", where.resolve("root").toString(), "--key-alg", "ec",
                "--org", "meshid rotation test", "--cn", "root " + name, "--days", String.valueOf(rootDays)));
        DemoPki.certs(List.of("intermediate", "--root-dir", where.resolve("root").toString(), "--out",
                where.resolve("cacerts").toString(), "--key-alg", "ec", "--org", "meshid rotation test",
                "--cn", "intermediate " + name, "--days", "365", "--trust-domain", Topology.TRUST_DOMAIN));
    }

    void start() throws Exception {
        TokenIssuer issuer = new TokenIssuer(TokenIssuer.KUBERNETES_ISSUER, Clock.systemUTC());
        Path jwks = dir.resolve("jwks.json");
        issuer.writeJwks(jwks);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.CACERTS_DIR, cacerts.toString());
        flags.put(Setting.JWKS_FILE, jwks.toString());
        flags.put(Setting.JWT_ISSUER, issuer.issuer());
        flags.put(Setting.MAX_TTL, "30s");
        flags.put(Setting.DEFAULT_TTL, LEAF_TTL);
        // The CA polls the directory every 200 ms instead of 5 s, so each step lands at once.
        ca = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of())
                .keySource(new CacertsDirKeySource(cacerts, new CacertsDirOptions(Duration.ofMillis(200)),
                        Clock.systemUTC(), caPolling)).build().start();
        parts.add(ca);
        int caPort = ca.grpcAddress().get(30, TimeUnit.SECONDS).getPort();
        details = BookinfoApp.start("details");
        parts.add(details);
        detailsAgent = agent(issuer, Topology.DETAILS, caPort, false);
        productpageAgent = agent(issuer, Topology.PRODUCTPAGE, caPort, true);
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("strict.yaml"), """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec: {mtls: {mode: STRICT}}
                """);
        detailsProxy = proxy(proxyConfig(Topology.DETAILS, "127.0.0.1:" + details.address().getPort())
                .policyDir(policies).build());
        productpageProxy = proxy(proxyConfig(Topology.PRODUCTPAGE, "127.0.0.1:9")
                .routes(List.of(Route.parse("details=127.0.0.1:" + detailsProxy.inboundAddress().getPort() + ","
                        + Topology.spiffeId(Topology.DETAILS))))
                .outboundKeepAlive(false).build());
    }

    private NodeAgent agent(TokenIssuer issuer, String sa, int caPort, boolean output) throws Exception {
        Path token = dir.resolve(sa + ".token");
        issuer.writeToken(token, Topology.NAMESPACE, sa);
        Map<AgentSetting, String> flags = new EnumMap<>(AgentSetting.class);
        flags.put(AgentSetting.CA_ADDR, "127.0.0.1:" + caPort);
        flags.put(AgentSetting.CA_SERVER_NAME, Topology.CA_SERVER_NAME);
        flags.put(AgentSetting.CA_ROOT, rootA.toString());
        flags.put(AgentSetting.TOKEN_PATH, token.toString());
        flags.put(AgentSetting.POD_NAMESPACE, Topology.NAMESPACE);
        flags.put(AgentSetting.SERVICE_ACCOUNT, sa);
        flags.put(AgentSetting.SECRET_TTL, LEAF_TTL);
        flags.put(AgentSetting.SDS_SOCKET, sdsSocket(sa).toString());
        flags.put(AgentSetting.WORKLOAD_API_SOCKET, "off");
        flags.put(AgentSetting.ADMIN_ADDR, "127.0.0.1:0");
        if (output) {
            flags.put(AgentSetting.OUTPUT_CERTS, outputCerts.toString());
        }
        NodeAgent agent = NodeAgent.builder(dev.meshid.agent.config.ConfigLoader.load(flags, Map.of())).start();
        parts.add(agent);
        return agent;
    }

    private Path sdsSocket(String sa) {
        return dir.resolve(sa.substring(sa.indexOf('-') + 1) + ".sock");
    }

    private ProxyConfig.Builder proxyConfig(String sa, String app) {
        return ProxyConfig.builder().sdsSocket(sdsSocket(sa))
                .inboundAddr(new HostPort("127.0.0.1", 0)).outboundAddr(new HostPort("127.0.0.1", 0))
                .adminAddr(new HostPort("127.0.0.1", 0)).appAddr(HostPort.parse(app))
                .accessLog(new AccessLogTarget.Off()).policyPollInterval(Duration.ofMillis(200)).ioThreads(1)
                .labels(Map.of("app", sa.substring(sa.indexOf('-') + 1)));
    }

    private ProxyServer proxy(ProxyConfig config) throws Exception {
        ProxyServer p = ProxyServer.start(config, Clock.systemUTC());
        parts.add(p);
        return p;
    }

    List<NodeAgent> agents() {
        return List.of(productpageAgent, detailsAgent);
    }

    List<ProxyServer> proxies() {
        return List.of(productpageProxy, detailsProxy);
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        caPolling.shutdownNow();
    }
}
