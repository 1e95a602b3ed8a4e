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
    @Option(names = "--trusted-node-accounts", paramLabel = "NS/SA[,NS/SA]",
            description = "Service accounts (node agents) allowed to ask for another pod's identity (default none).")
    String trustedNodeAccounts;
    @Option(names = "--vault-addr", paramLabel = "URL", description = "Vault's address (env VAULT_ADDR).")
    String vaultAddr;
    @Option(names = "--vault-namespace", paramLabel = "NS", description = "Vault Enterprise namespace (env VAULT_NAMESPACE).")
    String vaultNamespace;
    @Option(names = "--vault-cacert", paramLabel = "FILE", description = "CA of Vault's TLS certificate (env VAULT_CACERT).")
    String vaultCacert;
    @Option(names = "--vault-auth", paramLabel = "token|kubernetes|approle", description = "Vault login method (default token; VAULT_TOKEN is read from the environment).")
    String vaultAuth;
    @Option(names = "--vault-token-file", paramLabel = "FILE", description = "Token auth: the token file (default $HOME/.vault-token).")
    String vaultTokenFile;
    @Option(names = "--vault-role", paramLabel = "ROLE", description = "Kubernetes auth: the Vault role.")
    String vaultRole;
    @Option(names = "--vault-kubernetes-token-file", paramLabel = "FILE", description = "Kubernetes auth: the CA's service-account token.")
    String vaultKubernetesTokenFile;
    @Option(names = "--vault-approle-role-id", paramLabel = "ID", description = "AppRole auth: the role ID.")
    String vaultApproleRoleId;
    @Option(names = "--vault-approle-secret-id-file", paramLabel = "FILE", description = "AppRole auth: file holding the secret ID.")
    String vaultApproleSecretIdFile;
    @Option(names = "--vault-auth-mount", paramLabel = "PATH", description = "Vault auth mount (default kubernetes / approle).")
    String vaultAuthMount;
    @Option(names = "--vault-kv-path", paramLabel = "PATH", description = "Vault KV mode: the secret holding the plug-in CA files.")
    String vaultKvPath;
    @Option(names = "--vault-kv-field", paramLabel = "FILE=FIELD", description = "Vault KV mode: read FILE from FIELD (repeatable).")
    java.util.List<String> vaultKvField;
    @Option(names = "--vault-kv-version", paramLabel = "1|2", description = "Vault KV mode: the engine's version (default detected).")
    String vaultKvVersion;
    @Option(names = "--vault-pki-mount", paramLabel = "PATH", description = "Vault PKI mode: the PKI mount that signs the CA's intermediate.")
    String vaultPkiMount;
    @Option(names = "--vault-pki-issuer", paramLabel = "REF", description = "Vault PKI mode: issuer name or ID (default the mount's default).")
    String vaultPkiIssuer;
    @Option(names = "--vault-pki-ttl", paramLabel = "DURATION", description = "Vault PKI mode: intermediate lifetime (default 8760h).")
    String vaultPkiTtl;
    @Option(names = "--vault-refresh", paramLabel = "DURATION", description = "How often Vault is read (default 30s).")
    String vaultRefresh;
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
        CommandLine cl = new CommandLine(new CaCommand());
        cl.addSubcommand(dev.meshid.ca.rotate.RotateCommand.commandLine(java.time.Clock.systemUTC()));
        return cl;
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
        put(f, Setting.TRUSTED_NODE_ACCOUNTS, trustedNodeAccounts);
        put(f, Setting.VAULT_ADDR, vaultAddr);
        put(f, Setting.VAULT_NAMESPACE, vaultNamespace);
        put(f, Setting.VAULT_CACERT, vaultCacert);
        put(f, Setting.VAULT_AUTH, vaultAuth);
        put(f, Setting.VAULT_TOKEN_FILE, vaultTokenFile);
        put(f, Setting.VAULT_ROLE, vaultRole);
        put(f, Setting.VAULT_KUBERNETES_TOKEN_FILE, vaultKubernetesTokenFile);
        put(f, Setting.VAULT_APPROLE_ROLE_ID, vaultApproleRoleId);
        put(f, Setting.VAULT_APPROLE_SECRET_ID_FILE, vaultApproleSecretIdFile);
        put(f, Setting.VAULT_AUTH_MOUNT, vaultAuthMount);
        put(f, Setting.VAULT_KV_PATH, vaultKvPath);
        put(f, Setting.VAULT_KV_FIELD, vaultKvField == null ? null : String.join(",", vaultKvField));
        put(f, Setting.VAULT_KV_VERSION, vaultKvVersion);
        put(f, Setting.VAULT_PKI_MOUNT, vaultPkiMount);
        put(f, Setting.VAULT_PKI_ISSUER, vaultPkiIssuer);
        put(f, Setting.VAULT_PKI_TTL, vaultPkiTtl);
        put(f, Setting.VAULT_REFRESH, vaultRefresh);
        return f;
    }

    private static void put(Map<Setting, String> f, Setting s, String v) {
        if (v != null) {
            f.put(s, v);
        }
    }
}
