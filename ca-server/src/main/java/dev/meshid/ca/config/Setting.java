package dev.meshid.ca.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting of {@code meshid ca}, with its names in the config file, on the command line and in the
 * environment (CLI.md: an Istio name where Istio has one, else {@code MESHID_*}), and its default as text.
 * One place, so the loader, the printer and the documentation cannot disagree.
 */
public enum Setting {
    GRPC_ADDR("grpcAddr", "--grpc-addr", "MESHID_GRPC_ADDR", ":15012"),
    HTTP_ADDR("httpAddr", "--http-addr", "MESHID_HTTP_ADDR", ":15014"),
    TRUST_DOMAIN("trustDomain", "--trust-domain", "TRUST_DOMAIN", "cluster.local"),
    CACERTS_DIR("cacertsDir", "--cacerts-dir", "MESHID_CACERTS_DIR", null),
    SELF_SIGNED_DIR("selfSignedDir", "--self-signed-dir", "MESHID_SELF_SIGNED_DIR", null),
    KUBECONFIG("kubeconfig", "--kubeconfig", "MESHID_KUBECONFIG", null),
    K8S_CACERTS_SECRET("k8sCacertsSecret", "--k8s-cacerts-secret", "MESHID_K8S_CACERTS_SECRET", null),
    /** Unset means: on when running inside a cluster. */
    PUBLISH_ROOT_CONFIGMAP("publishRootConfigMap", "--publish-root-configmap", "MESHID_PUBLISH_ROOT_CONFIGMAP", null),
    JWKS_FILE("jwksFile", "--jwks-file", "MESHID_JWKS_FILE", null),
    JWKS_URL("jwksUrl", "--jwks-url", "MESHID_JWKS_URL", null),
    JWT_ISSUER("jwtIssuer", "--jwt-issuer", "MESHID_JWT_ISSUER", null),
    TOKEN_AUDIENCE("tokenAudience", "--token-audience", "TOKEN_AUDIENCES", "istio-ca"),
    /** Unset means: on when a Kubernetes client is configured. */
    TOKENREVIEW("tokenReview", "--tokenreview", "MESHID_TOKENREVIEW", null),
    SERVING_DNS("servingDns", "--serving-dns", "MESHID_SERVING_DNS",
            "istiod.istio-system.svc,meshid-ca.istio-system.svc"),
    DEFAULT_TTL("defaultTtl", "--default-ttl", "DEFAULT_WORKLOAD_CERT_TTL", "24h"),
    MAX_TTL("maxTtl", "--max-ttl", "MAX_WORKLOAD_CERT_TTL", "2160h"),
    INSECURE_PLAINTEXT("insecurePlaintext", "--insecure-plaintext", "MESHID_INSECURE_PLAINTEXT", "false"),
    // Set in the file or the environment only: rarely changed.
    NAMESPACE("namespace", null, "POD_NAMESPACE", "istio-system"),
    CLUSTER_ID("clusterId", null, "CLUSTER_ID", "Kubernetes"),
    ALLOW_DNS_SANS("allowDnsSans", null, "MESHID_ALLOW_DNS_SANS", "false"),
    MAX_CSR_BYTES("maxCsrBytes", null, "MESHID_MAX_CSR_BYTES", "65536"),
    /** Unset means: 128 per available processor. */
    MAX_IN_FLIGHT("maxInFlight", null, "MESHID_MAX_IN_FLIGHT", null),
    /** Unset means: twice the available processors, at least 4. */
    SIGNING_THREADS("signingThreads", null, "MESHID_SIGNING_THREADS", null);

    private final String key;
    private final String flag;
    private final String env;
    private final String defaultValue;

    Setting(String key, String flag, String env, String defaultValue) {
        this.key = key;
        this.flag = flag;
        this.env = env;
        this.defaultValue = defaultValue;
    }

    /** The key in the YAML config file. */
    public String key() {
        return key;
    }

    /** The command-line flag, if the setting has one. */
    public Optional<String> flag() {
        return Optional.ofNullable(flag);
    }

    /** The environment variable. */
    public String env() {
        return env;
    }

    /** The default as text; empty when unset by default. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Whether the value is a credential that {@code --print-config} must not show. None are yet. */
    public boolean secret() {
        return false;
    }

    /** How messages name the setting: {@code grpcAddr (--grpc-addr, MESHID_GRPC_ADDR)}. */
    public String describe() {
        return key + " (" + (flag == null ? "" : flag + ", ") + env + ")";
    }

    /** The setting with this config-file key. */
    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
