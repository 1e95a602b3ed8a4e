package dev.meshid.demo;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where everything in the demo lives: the loopback ports and the files in the work directory, and the command
 * lines and environments of the children that follow from them. Istio's environment names carry the settings
 * Istio has ({@code CA_ADDR}, {@code TRUST_DOMAIN}, ...); meshid's own settings are flags.
 */
public record Topology(Path workdir, Ports ports, boolean selfSigned) {
    public static final String TRUST_DOMAIN = "cluster.local";
    public static final String NAMESPACE = "default";
    public static final String PRODUCTPAGE = "bookinfo-productpage";
    public static final String DETAILS = "bookinfo-details";
    /** The name the CA's serving certificate carries (its default {@code --serving-dns}). */
    public static final String CA_SERVER_NAME = "istiod.istio-system.svc";
    static final String LOOPBACK = "127.0.0.1";
    /** Linux's limit for a Unix socket path (sun_path holds 108 bytes with the terminating NUL). */
    public static final int MAX_SOCKET_PATH = 107;

    /** The ports, picked by the demo. */
    public record Ports(int caGrpc, int caHttp, int productpageAgentAdmin, int detailsAgentAdmin,
            int productpageInbound, int productpageOutbound, int productpageProxyAdmin,
            int detailsInbound, int detailsOutbound, int detailsProxyAdmin) {
        /** Ten ports from {@code list}, in the order of the record's components. */
        public static Ports of(List<Integer> list) {
            return new Ports(list.get(0), list.get(1), list.get(2), list.get(3), list.get(4), list.get(5),
                    list.get(6), list.get(7), list.get(8), list.get(9));
        }
    }

    /** {@code spiffe://cluster.local/ns/default/sa/<sa>}. */
    public static String spiffeId(String sa) {
        return "spiffe://" + TRUST_DOMAIN + "/ns/" + NAMESPACE + "/sa/" + sa;
    }

    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    public Path caDir() {
        return workdir.resolve("ca");
    }

    /** The CA's self-signed root lives here with {@code --self-signed}. */
    public Path selfSignedDir() {
        return caDir().resolve("self-signed");
    }

    public Path jwksFile() {
        return workdir.resolve("issuer").resolve("jwks.json");
    }

    public Path tokenFile(String sa) {
        return workdir.resolve("issuer").resolve(sa + ".token");
    }

    public Path sdsSocket(String sa) {
        return workdir.resolve(sa).resolve("sds.sock");
    }

    /** productpage's agent writes key.pem, cert-chain.pem and root-cert.pem here (OUTPUT_CERTS). */
    public Path outputCerts() {
        return workdir.resolve(PRODUCTPAGE).resolve("certs");
    }

    public Path detailsPolicyDir() {
        return workdir.resolve("policies").resolve("details");
    }

    public Path log(String component) {
        return workdir.resolve("logs").resolve(component + ".log");
    }

    /** {@code meshid ca}: JWT/JWKS authentication only, never a Kubernetes client. */
    public List<String> caArgs(Path cacertsDir, String issuer) {
        return List.of("--grpc-addr", LOOPBACK + ":" + ports.caGrpc(), "--http-addr", LOOPBACK + ":" + ports.caHttp(),
                "--trust-domain", TRUST_DOMAIN,
                selfSigned ? "--self-signed-dir" : "--cacerts-dir", (selfSigned ? selfSignedDir() : cacertsDir).toString(),
                "--jwks-file", jwksFile().toString(), "--jwt-issuer", issuer, "--token-audience", TokenIssuer.AUDIENCE,
                "--tokenreview=false", "--publish-root-configmap=false");
    }

    /** {@code meshid agent} flags for {@code sa}. */
    public List<String> agentArgs(String sa, Path caRoot) {
        return List.of("--ca-server-name", CA_SERVER_NAME, "--sds-socket", sdsSocket(sa).toString(),
                "--workload-api-socket", "off", "--token-path", tokenFile(sa).toString(),
                "--ca-root", caRoot.toString(), "--admin-addr", LOOPBACK + ":" + agentAdmin(sa));
    }

    /** {@code meshid agent} environment for {@code sa}: Istio's names. */
    public Map<String, String> agentEnv(String sa) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CA_ADDR", LOOPBACK + ":" + ports.caGrpc());
        env.put("TRUST_DOMAIN", TRUST_DOMAIN);
        env.put("POD_NAMESPACE", NAMESPACE);
        env.put("SERVICE_ACCOUNT", sa);
        if (sa.equals(PRODUCTPAGE)) {
            env.put("OUTPUT_CERTS", outputCerts().toString());
        }
        return env;
    }

    public int agentAdmin(String sa) {
        return sa.equals(PRODUCTPAGE) ? ports.productpageAgentAdmin() : ports.detailsAgentAdmin();
    }

    /** productpage's proxy: outbound Host {@code details} goes to details' inbound, expecting details' identity. */
    public List<String> productpageProxyArgs(int appPort) {
        return List.of("--sds-socket", sdsSocket(PRODUCTPAGE).toString(),
                "--inbound-addr", LOOPBACK + ":" + ports.productpageInbound(), "--app-addr", LOOPBACK + ":" + appPort,
                "--outbound-addr", LOOPBACK + ":" + ports.productpageOutbound(),
                "--route", "details=" + LOOPBACK + ":" + ports.detailsInbound() + "," + spiffeId(DETAILS),
                "--namespace", NAMESPACE, "--labels", "app=productpage",
                "--admin-addr", LOOPBACK + ":" + ports.productpageProxyAdmin(),
                "--access-log", workdir.resolve("logs").resolve("productpage-access.log").toString());
    }

    /** details' proxy: STRICT inbound with the details-viewer policy. */
    public List<String> detailsProxyArgs(int appPort) {
        return List.of("--sds-socket", sdsSocket(DETAILS).toString(),
                "--inbound-addr", LOOPBACK + ":" + ports.detailsInbound(), "--app-addr", LOOPBACK + ":" + appPort,
                "--outbound-addr", LOOPBACK + ":" + ports.detailsOutbound(),
                "--policy-dir", detailsPolicyDir().toString(),
                "--namespace", NAMESPACE, "--labels", "app=details",
                "--admin-addr", LOOPBACK + ":" + ports.detailsProxyAdmin(),
                "--access-log", workdir.resolve("logs").resolve("details-access.log").toString());
    }
}
