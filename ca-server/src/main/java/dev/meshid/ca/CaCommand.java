package dev.meshid.ca;

import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigException;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.ConfigPrinter;
import dev.meshid.ca.config.Setting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshid ca}: the Istio-compatible certificate authority. Every flag has an environment twin and a
 * config-file key (see {@link Setting}); flags win over the environment, the environment over the file, the
 * file over defaults. Exit codes: 0 ok, 1 runtime failure, 2 configuration error (one line on stderr).
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
        header = "Run the certificate authority (Istio's CA API on gRPC/TLS, health and metrics on HTTP).",
        description = {"Serves istio.v1.auth.IstioCertificateService/CreateCertificate, so istio-agent and meshid's "
                + "agent get workload certificates with CA_ADDR pointed here.",
            "Without a key source it keeps a self-signed root under ./var/lib/meshid/ca."},
        footer = {"", "Every flag has an environment twin (e.g. MESHID_GRPC_ADDR, TRUST_DOMAIN) and a config-file key.",
            "Exit codes: 0 ok, 1 runtime failure, 2 configuration error."})
public final class CaCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int CONFIG_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of settings (env MESHID_CONFIG).")
    Path configFile;
    @Option(names = "--grpc-addr", paramLabel = "HOST:PORT", description = "CA API address (default :15012).")
    String grpcAddr;
    @Option(names = "--http-addr", paramLabel = "HOST:PORT", description = "Health/metrics/bundle address (default :15014).")
    String httpAddr;
    @Option(names = "--trust-domain", paramLabel = "TD", description = "Trust domain (default cluster.local).")
    String trustDomain;
    @Option(names = "--cacerts-dir", paramLabel = "DIR", description = "Istio plug-in CA files, watched.")
    String cacertsDir;
    @Option(names = "--self-signed-dir", paramLabel = "DIR", description = "Keep a self-signed root here.")
    String selfSignedDir;
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubernetes client configuration.")
    String kubeconfig;
    @Option(names = "--k8s-cacerts-secret", paramLabel = "NS/NAME", description = "Plug-in CA files in a secret.")
    String k8sCacertsSecret;
    @Option(names = "--publish-root-configmap", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Keep istio-ca-root-cert ConfigMaps up to date (default: on in a cluster).")
    String publishRootConfigMap;
    @Option(names = "--jwks-file", paramLabel = "FILE", description = "JWKS for local JWT verification.")
    String jwksFile;
    @Option(names = "--jwks-url", paramLabel = "URL", description = "JWKS URL for local JWT verification.")
    String jwksUrl;
    @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "Accepted token issuer (iss).")
    String jwtIssuer;
    @Option(names = "--token-audience", paramLabel = "AUD[,AUD]", description = "Token audiences (default istio-ca).")
    String tokenAudience;
    @Option(names = "--tokenreview", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Kubernetes TokenReview (default: on with a Kubernetes client).")
    String tokenReview;
    @Option(names = "--serving-dns", paramLabel = "NAME[,NAME]",
            description = "DNS SANs of the CA's serving certificate (default istiod.istio-system.svc,meshid-ca.istio-system.svc).")
    String servingDns;
    @Option(names = "--default-ttl", paramLabel = "DURATION", description = "Workload certificate TTL (default 24h).")
    String defaultTtl;
    @Option(names = "--max-ttl", paramLabel = "DURATION", description = "Longest TTL a request may ask (default 2160h).")
    String maxTtl;
    @Option(names = "--insecure-plaintext", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Serve the CA API without TLS (local debugging only).")
    String insecurePlaintext;
    @Option(names = "--print-config", description = "Print the effective configuration as YAML and exit.")
    boolean printConfig;

    private final Map<String, String> env;

    /** Reads the real environment. */
    public CaCommand() {
        this(System.getenv());
    }

    /** Reads {@code env} instead of the real environment (tests). */
    public CaCommand(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** The command, ready to execute or to add to the {@code meshid} launcher. */
    public static CommandLine commandLine() {
        return new CommandLine(new CaCommand());
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        CaConfig config;
        try {
            config = ConfigLoader.load(configFile, flags(), env);
        } catch (ConfigException e) {
            err.println("meshid ca: " + e.getMessage());
            err.flush();
            return CONFIG_ERROR;
        }
        if (printConfig) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(ConfigPrinter.toYaml(config));
            out.flush();
            return OK;
        }
        return run(config, err);
    }

    private int run(CaConfig config, PrintWriter err) {
        CaServer server;
        try {
            server = CaServer.builder(config).env(env).build();
        } catch (ConfigException e) {
            err.println("meshid ca: " + e.getMessage());
            err.flush();
            return CONFIG_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "meshid-ca-shutdown"));
        try {
            server.start();
            stopped.await();
            return OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OK;
        } catch (RuntimeException e) {
            err.println("meshid ca: " + e.getMessage());
            err.flush();
            server.close();
            return FAILURE;
        }
    }

    /** The flags given, by setting. */
    Map<Setting, String> flags() {
        Map<Setting, String> f = new EnumMap<>(Setting.class);
        put(f, Setting.GRPC_ADDR, grpcAddr);
        put(f, Setting.HTTP_ADDR, httpAddr);
        put(f, Setting.TRUST_DOMAIN, trustDomain);
        put(f, Setting.CACERTS_DIR, cacertsDir);
        put(f, Setting.SELF_SIGNED_DIR, selfSignedDir);
        put(f, Setting.KUBECONFIG, kubeconfig);
        put(f, Setting.K8S_CACERTS_SECRET, k8sCacertsSecret);
        put(f, Setting.PUBLISH_ROOT_CONFIGMAP, publishRootConfigMap);
        put(f, Setting.JWKS_FILE, jwksFile);
        put(f, Setting.JWKS_URL, jwksUrl);
        put(f, Setting.JWT_ISSUER, jwtIssuer);
        put(f, Setting.TOKEN_AUDIENCE, tokenAudience);
        put(f, Setting.TOKENREVIEW, tokenReview);
        put(f, Setting.SERVING_DNS, servingDns);
        put(f, Setting.DEFAULT_TTL, defaultTtl);
        put(f, Setting.MAX_TTL, maxTtl);
        put(f, Setting.INSECURE_PLAINTEXT, insecurePlaintext);
        return f;
    }

    private static void put(Map<Setting, String> f, Setting s, String v) {
        if (v != null) {
            f.put(s, v);
        }
    }
}
