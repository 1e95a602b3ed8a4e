package dev.meshid.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Bookinfo details-viewer story, played against the running mesh, one step per claim: what the policy allows
 * and denies, STRICT mTLS, a certificate rotation under traffic, and the issued chain checked by real tools.
 */
final class Scenario {
    static final String RBAC_DENIED = "RBAC: access denied";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ROTATION_LIMIT = Duration.ofSeconds(30);

    private final Mesh mesh;
    private final Topology t;
    private final StepRunner steps;
    private final PrintWriter out;

    Scenario(Mesh mesh, StepRunner steps, PrintWriter out) {
        this.mesh = mesh;
        this.t = mesh.topology;
        this.steps = steps;
        this.out = out;
    }

    void play() {
        List<Child> path = List.of(mesh.productpageProxy, mesh.detailsProxy);
        steps.run("productpage -> details GET /details/0 (allowed)", path, () -> {
            RawHttp.Response r = viaProductpage("GET", "/details/0");
            return Observation.of(r.status() == 200 && r.body().equals(BookinfoApp.body(0)), r.summary());
        });
        steps.run("productpage -> details POST /details/0 (denied: GET only)", path, () -> denied("POST", "/details/0"));
        steps.run("productpage -> details GET /ping (denied: /details/* only)", path, () -> denied("GET", "/ping"));
        steps.run("plaintext GET straight to details' STRICT port " + t.ports().detailsInbound() + " (refused)",
                List.of(mesh.detailsProxy), this::plaintextRefused);
        AtomicReference<ServedCertificate.SplitChain> split = new AtomicReference<>();
        steps.run("productpage's agent wrote OUTPUT_CERTS", List.of(mesh.productpageAgent), () -> {
            split.set(ServedCertificate.SplitChain.of(t.outputCerts().resolve("cert-chain.pem"),
                    Files.createDirectories(t.workdir().resolve("openssl"))));
            return Observation.pass("key.pem, cert-chain.pem, root-cert.pem in " + t.outputCerts());
        });
        ServedCertificate.SplitChain client = split.get();
        if (client == null) {
            return; // the remaining steps all need those files
        }
        steps.run("curl with productpage's OUTPUT_CERTS files straight to details' STRICT port", List.of(
                mesh.detailsProxy, mesh.productpageAgent), this::curlWithOutputCerts);
        steps.run("forced rotation of details' certificate under traffic", List.of(mesh.detailsAgent,
                mesh.detailsProxy, mesh.productpageProxy), () -> rotation(client));
        AtomicReference<String> inspection = new AtomicReference<>("");
        steps.run("'meshid certs inspect' of productpage's issued chain", List.of(mesh.productpageAgent), () -> {
            inspection.set(DemoPki.certs(List.of("inspect", t.outputCerts().resolve("cert-chain.pem").toString())));
            String id = Topology.spiffeId(Topology.PRODUCTPAGE);
            return Observation.of(inspection.get().contains(id), inspection.get().contains(id)
                    ? "shows " + id + " (below)" : "the output does not name " + id);
        });
        inspection.get().lines().forEach(line -> out.println("         | " + line));
        steps.run("openssl verify -CAfile " + mesh.trustRoot.getFileName()
                + (client.intermediates() == null ? "" : " -untrusted intermediates.pem")
                + " -purpose sslclient (productpage's leaf)",
                List.of(mesh.productpageAgent), () -> opensslVerify(client));
    }

    private RawHttp.Response viaProductpage(String method, String path) throws IOException {
        InetSocketAddress outbound = Topology.loopback(t.ports().productpageOutbound());
        return RawHttp.send(outbound, method, "details", path, method.equals("GET") ? null : "{}", TIMEOUT);
    }

    private Observation denied(String method, String path) throws IOException {
        RawHttp.Response r = viaProductpage(method, path);
        return Observation.of(r.status() == 403 && r.body().strip().equals(RBAC_DENIED), r.summary());
    }

    private Observation plaintextRefused() {
        long before = mesh.details.requests();
        try {
            RawHttp.Response r = RawHttp.send(Topology.loopback(t.ports().detailsInbound()), "GET", "details",
                    "/details/0", null, TIMEOUT);
            return Observation.of(r.status() != 200 && mesh.details.requests() == before,
                    "answered " + r.summary());
        } catch (IOException e) {
            return Observation.of(mesh.details.requests() == before, "no HTTP response (" + e.getMessage() + ")");
        }
    }

    private Observation curlWithOutputCerts() throws IOException, InterruptedException {
        Path certs = t.outputCerts();
        Exec.Result r = Exec.run(Commands.curlStrict(t, certs), null, Duration.ofSeconds(15));
        String got = r.output().strip();
        boolean ok = r.exitCode() == 0 && got.endsWith("HTTP 200") && got.startsWith(BookinfoApp.body(0));
        return Observation.of(ok, got.replace('\n', ' '));
    }

    private Observation rotation(ServedCertificate.SplitChain client) throws Exception {
        Path key = t.outputCerts().resolve("key.pem");
        int admin = t.ports().detailsAgentAdmin();
        String before = ServedCertificate.agentSerial(admin);
        long deadline = System.nanoTime() + ROTATION_LIMIT.toNanos();
        String after = before;
        String served = null;
        Traffic traffic = Traffic.start(Topology.loopback(t.ports().productpageOutbound()), "details", "/details/0");
        try {
            while (traffic.sent() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20); // let the stream of requests get going, so the rotation lands in its middle
            }
            Rotation.force(admin);
            while (System.nanoTime() < deadline && after.equals(before)) {
                Thread.sleep(100); // the rotation runs in the agent: a CA call, then an SDS push
                after = ServedCertificate.agentSerial(admin);
            }
            while (System.nanoTime() < deadline && !after.equals(before) && !after.equals(served)) {
                served = ServedCertificate.servedSerial(t.ports().detailsInbound(), client, key, mesh.trustRoot);
                after = ServedCertificate.agentSerial(admin);
            }
            int atSwap = traffic.sent();
            while (traffic.sent() < atSwap + 5 && System.nanoTime() < deadline) {
                Thread.sleep(20); // and a few requests on the new certificate
            }
            traffic.stop();
            boolean ok = !after.equals(before) && after.equals(served) && traffic.sent() > 0 && traffic.failed() == 0;
            return Observation.of(ok, "POST /debug/rotate: serial " + before + " -> " + after + ", details' proxy "
                    + "serves " + served + "; " + traffic.sent() + " requests during the rotation, " + traffic.failed()
                    + " failed" + (traffic.firstFailure() == null ? "" : " (first: " + traffic.firstFailure() + ")"));
        } finally {
            traffic.stop();
        }
    }

    private Observation opensslVerify(ServedCertificate.SplitChain client) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "verify", "-CAfile", mesh.trustRoot.toString()));
        cmd.addAll(client.intermediatesAs("-untrusted"));
        cmd.addAll(List.of("-purpose", "sslclient", client.leaf().toString()));
        Exec.Result r = Exec.run(cmd, null, TIMEOUT);
        String got = r.output().strip();
        return Observation.of(r.exitCode() == 0 && got.endsWith(": OK"), got.replace('\n', ' '));
    }
}
