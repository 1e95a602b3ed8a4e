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
    /** Unset means: nobody may impersonate. */
    TRUSTED_NODE_ACCOUNTS("trustedNodeAccounts", "--trusted-node-accounts", "MESHID_TRUSTED_NODE_ACCOUNTS", null),
    // HashiCorp Vault as the key source (docs/vault.md); connection settings keep the Vault CLI's variables.
    VAULT_ADDR("vaultAddr", "--vault-addr", "VAULT_ADDR", null),
    VAULT_NAMESPACE("vaultNamespace", "--vault-namespace", "VAULT_NAMESPACE", null),
    VAULT_CACERT("vaultCacert", "--vault-cacert", "VAULT_CACERT", null),
    VAULT_AUTH("vaultAuth", "--vault-auth", "MESHID_VAULT_AUTH", "token"),
    /** Unset means: {@code $HOME/.vault-token}, as the Vault CLI keeps it; {@code VAULT_TOKEN} wins over it. */
    VAULT_TOKEN_FILE("vaultTokenFile", "--vault-token-file", "MESHID_VAULT_TOKEN_FILE", null),
    VAULT_ROLE("vaultRole", "--vault-role", "MESHID_VAULT_ROLE", null),
    VAULT_KUBERNETES_TOKEN_FILE("vaultKubernetesTokenFile", "--vault-kubernetes-token-file",
            "MESHID_VAULT_KUBERNETES_TOKEN_FILE", "/var/run/secrets/kubernetes.io/serviceaccount/token"),
    VAULT_APPROLE_ROLE_ID("vaultApproleRoleId", "--vault-approle-role-id", "MESHID_VAULT_APPROLE_ROLE_ID", null),
    VAULT_APPROLE_SECRET_ID_FILE("vaultApproleSecretIdFile", "--vault-approle-secret-id-file",
            "MESHID_VAULT_APPROLE_SECRET_ID_FILE", null),
    /** Unset means: {@code kubernetes} or {@code approle}, after the login method. */
    VAULT_AUTH_MOUNT("vaultAuthMount", "--vault-auth-mount", "MESHID_VAULT_AUTH_MOUNT", null),
    VAULT_KV_PATH("vaultKvPath", "--vault-kv-path", "MESHID_VAULT_KV_PATH", null),
    /** {@code FILE=FIELD[,FILE=FIELD]}; unset means every plug-in file is read from the field of its own name. */
    VAULT_KV_FIELD("vaultKvField", "--vault-kv-field", "MESHID_VAULT_KV_FIELD", null),
    /** Unset means: detected from the mount. */
    VAULT_KV_VERSION("vaultKvVersion", "--vault-kv-version", "MESHID_VAULT_KV_VERSION", null),
    VAULT_PKI_MOUNT("vaultPkiMount", "--vault-pki-mount", "MESHID_VAULT_PKI_MOUNT", null),
    /** Unset means: the mount's default issuer. */
    VAULT_PKI_ISSUER("vaultPkiIssuer", "--vault-pki-issuer", "MESHID_VAULT_PKI_ISSUER", null),
    VAULT_PKI_TTL("vaultPkiTtl", "--vault-pki-ttl", "MESHID_VAULT_PKI_TTL", "8760h"),
    VAULT_REFRESH("vaultRefresh", "--vault-refresh", "MESHID_VAULT_REFRESH", "30s"),
    /** A credential: read from the environment as the Vault CLI reads it; never printed. */
    VAULT_TOKEN("vaultToken", null, "VAULT_TOKEN", null),
    /** A credential: the AppRole secret ID itself, instead of a file; never printed. */
    VAULT_APPROLE_SECRET_ID("vaultApproleSecretId", null, "MESHID_VAULT_APPROLE_SECRET_ID", null),
    // Set in the file or the environment only: rarely changed.
    NAMESPACE("namespace", null, "POD_NAMESPACE", "istio-system"),
    CLUSTER_ID("clusterId", null, "CLUSTER_ID", "Kubernetes"),
    ALLOW_DNS_SANS("allowDnsSans", null, "MESHID_ALLOW_DNS_SANS", "false"),
    MAX_CSR_BYTES("maxCsrBytes", null, "MESHID_MAX_CSR_BYTES", "65536"),
    /** Fraction of a self-signed root's life left when its successor (a new key) joins the trust bundle. */
    ROOT_ROTATION_FRACTION("rootRotationFraction", null, "MESHID_ROOT_ROTATION_FRACTION", "0.2"),
    /** Longest wait for every connected agent to ack the new root before signing moves to it anyway. */
    ROOT_ROTATION_GRACE("rootRotationGrace", null, "MESHID_ROOT_ROTATION_GRACE", "24h"),
    /** Unset means: 128 per available processor. */
    MAX_IN_FLIGHT("maxInFlight", null, "MESHID_MAX_IN_FLIGHT", null),
    /** Unset means: twice the available processors, at least 4. */
    SIGNING_THREADS("signingThreads", null, "MESHID_SIGNING_THREADS", null),
    /** A client that has not finished its TLS handshake by then is disconnected (slow or stalled clients). */
    TLS_HANDSHAKE_TIMEOUT("tlsHandshakeTimeout", null, "MESHID_TLS_HANDSHAKE_TIMEOUT", "10s"),
    /** A connection on which nothing is read or written for this long is closed; 0 turns it off. */
    IDLE_TIMEOUT("idleTimeout", null, "MESHID_IDLE_TIMEOUT", "5m");

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

    /** Whether the value is a credential that {@code --print-config} must not show. */
    public boolean secret() {
        return this == VAULT_TOKEN || this == VAULT_APPROLE_SECRET_ID;
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
