package dev.meshid.demo;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running demo mesh: the CA, the token issuer, two agents, two proxies and the two apps. {@link #start}
 * reports each part as a step; {@link #close()} stops the apps and ends every child process.
 */
public final class Mesh implements AutoCloseable {
    static final Duration READY_LIMIT = Duration.ofSeconds(90);
    private static final List<String> POLICIES = List.of("strict-mtls.yaml", "details-viewer.yaml");

    final Topology topology;
    final Children children;
    final TokenIssuer issuer;
    final List<AutoCloseable> apps = new ArrayList<>();
    private final ScheduledExecutorService tokenRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-token-refresh");
        t.setDaemon(true);
        return t;
    });
    BookinfoApp details;
    Path trustRoot;
    Child ca;
    Child productpageAgent;
    Child detailsAgent;
    Child productpageProxy;
    Child detailsProxy;

    private Mesh(Topology topology, Children children, TokenIssuer issuer) {
        this.topology = topology;
        this.children = children;
        this.issuer = issuer;
    }

    /** A mesh not started yet: {@link #boot} starts it; {@link #close()} may be called at any point. */
    public static Mesh create(Topology t, Launcher launcher) {
        return new Mesh(t, new Children(launcher), new TokenIssuer(TokenIssuer.KUBERNETES_ISSUER, Clock.systemUTC()));
    }

    /** Starts everything, reporting a step per part; a part that does not come up leaves a failed step. */
    public void boot(StepRunner steps, PrintWriter out) throws IOException, InterruptedException {
        for (Path dir : List.of(topology.caDir(), topology.jwksFile().getParent(),
                topology.sdsSocket(Topology.PRODUCTPAGE).getParent(), topology.sdsSocket(Topology.DETAILS).getParent(),
                topology.detailsPolicyDir(), topology.log("x").getParent())) {
            Files.createDirectories(dir);
        }
        startAll(steps, out);
    }

    private void startAll(StepRunner steps, PrintWriter out) throws IOException, InterruptedException {
        Path cacerts = null;
        if (topology.selfSigned()) {
            trustRoot = topology.selfSignedDir().resolve("root-cert.pem");
        } else {
            AtomicReference<DemoPki.Files> made = new AtomicReference<>();
            steps.run("CA files from 'meshid certs root-ca' + 'intermediate' (EC P-256)", List.of(), () -> {
                DemoPki.Files pki = DemoPki.make(topology.caDir(), Topology.TRUST_DOMAIN);
                made.set(pki);
                return Observation.pass("root " + pki.rootCert() + ", plug-in files in " + pki.cacertsDir());
            });
            if (made.get() == null) {
                return;
            }
            cacerts = made.get().cacertsDir();
            trustRoot = made.get().rootCert();
        }
        issuer.writeJwks(topology.jwksFile());
        for (String sa : List.of(Topology.PRODUCTPAGE, Topology.DETAILS)) {
            issuer.writeToken(topology.tokenFile(sa), Topology.NAMESPACE, sa);
        }
        // Tokens live an hour, as projected ones do; refresh them like the kubelet would for --keep-running.
        tokenRefresh.scheduleAtFixedRate(this::refreshTokens, 30, 30, TimeUnit.MINUTES);
        steps.run("local token issuer (stands in for Kubernetes)", List.of(), () -> Observation.pass(
                "iss " + issuer.issuer() + ", aud " + TokenIssuer.AUDIENCE + ", JWKS " + topology.jwksFile()
                        + ", tokens for " + Topology.PRODUCTPAGE + " and " + Topology.DETAILS));
        for (String name : POLICIES) {
            try (InputStream in = Mesh.class.getResourceAsStream("policies/" + name)) {
                Files.copy(in, topology.detailsPolicyDir().resolve(name),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        details = BookinfoApp.start("details");
        apps.add(details);
        BookinfoApp productpage = BookinfoApp.start("productpage");
        apps.add(productpage);

        ca = children.start("ca", Program.CA, topology.caArgs(cacerts, issuer.issuer()), Map.of(), topology.log("ca"));
        productpageProxy = children.start("proxy/productpage", Program.PROXY,
                topology.productpageProxyArgs(productpage.address().getPort()), Map.of(),
                topology.log("proxy-productpage"));
        detailsProxy = children.start("proxy/details", Program.PROXY,
                topology.detailsProxyArgs(details.address().getPort()), Map.of(), topology.log("proxy-details"));
        if (topology.selfSigned()) {
            awaitSelfSignedRoot(out);
            if (!steps.run("CA's self-signed root (--self-signed)", List.of(ca), () -> Observation.of(rootReady(),
                    rootReady() ? trustRoot.toString() : "no " + trustRoot + (ca.alive() ? " yet" : "; the CA exited")))
                    .ok()) {
                return;
            }
        }
        productpageAgent = startAgent(Topology.PRODUCTPAGE);
        detailsAgent = startAgent(Topology.DETAILS);
        Readiness.await(List.of(new Readiness.Probe(ca, topology.ports().caHttp()),
                new Readiness.Probe(productpageAgent, topology.ports().productpageAgentAdmin()),
                new Readiness.Probe(detailsAgent, topology.ports().detailsAgentAdmin()),
                new Readiness.Probe(productpageProxy, topology.ports().productpageProxyAdmin()),
                new Readiness.Probe(detailsProxy, topology.ports().detailsProxyAdmin())), READY_LIMIT, out, steps);
    }

    private Child startAgent(String sa) throws IOException {
        return children.start("agent/" + sa, Program.AGENT, topology.agentArgs(sa, trustRoot), topology.agentEnv(sa),
                topology.log("agent-" + sa));
    }

    // With --self-signed the CA makes its root when it starts; the agents need it to trust the CA.
    private void awaitSelfSignedRoot(PrintWriter out) throws InterruptedException {
        out.print("waiting for the CA's self-signed root ");
        out.flush();
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        int ticks = 0;
        while (!rootReady() && ca.alive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            if (++ticks % 10 == 0) {
                out.print('.');
                out.flush();
            }
        }
        out.println();
    }

    private boolean rootReady() {
        try {
            return Files.exists(trustRoot) && !Pem.readCertificates(Files.readString(trustRoot)).isEmpty();
        } catch (IOException | PkiException e) {
            return false; // not there yet, or half written
        }
    }

    private void refreshTokens() {
        try {
            for (String sa : List.of(Topology.PRODUCTPAGE, Topology.DETAILS)) {
                issuer.writeToken(topology.tokenFile(sa), Topology.NAMESPACE, sa);
            }
        } catch (IOException e) {
            System.err.println("meshid demo: cannot refresh the service-account tokens: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        tokenRefresh.shutdownNow();
        children.close();
        for (AutoCloseable app : apps) {
            try {
                app.close();
            } catch (Exception e) {
                // nothing left to do for an in-process app that will not stop
            }
        }
    }
}
