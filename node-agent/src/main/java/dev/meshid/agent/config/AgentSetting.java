package dev.meshid.agent.config;

import java.util.Optional;

/**
 * Every setting of {@code meshid agent}: its flag, its environment twin and its default. Istio's environment
 * names are used where Istio has the setting (PROTOCOLS.md §1), {@code MESHID_*} otherwise. A {@code null}
 * default means "unset".
 */
public enum AgentSetting {
    CA_ADDR("--ca-addr", "CA_ADDR", "istiod.istio-system.svc:15012", "CA address, HOST:PORT"),
    CA_SERVER_NAME("--ca-server-name", "MESHID_CA_SERVER_NAME", null,
            "DNS name the CA's TLS certificate must carry (default: the host of CA_ADDR)"),
    TRUST_DOMAIN("--trust-domain", "TRUST_DOMAIN", "cluster.local", "trust domain of the workload's SPIFFE ID"),
    POD_NAMESPACE("--namespace", "POD_NAMESPACE", "default", "the workload's namespace"),
    SERVICE_ACCOUNT("--service-account", "SERVICE_ACCOUNT", "default", "the workload's service account"),
    CLUSTER_ID("--cluster-id", "ISTIO_META_CLUSTER_ID", null, "sent to the CA as the clusterid header"),
    SECRET_TTL("--secret-ttl", "SECRET_TTL", "24h", "requested certificate lifetime, a Go duration"),
    GRACE_RATIO("--secret-grace-period-ratio", "SECRET_GRACE_PERIOD_RATIO", "0.5",
            "renew when this fraction of the lifetime remains"),
    GRACE_JITTER("--secret-grace-period-ratio-jitter", "SECRET_GRACE_PERIOD_RATIO_JITTER", "0.01",
            "random +/- added to the grace ratio"),
    KEY_ALGORITHM("--ecc-signature-algorithm", "ECC_SIGNATURE_ALGORITHM", "ECDSA",
            "ECDSA or RSA (empty means ECDSA, unlike Istio where empty means RSA)"),
    ECC_CURVE("--ecc-curve", "ECC_CURVE", "P256", "P256 or P384"),
    RSA_KEY_SIZE("--workload-rsa-key-size", "WORKLOAD_RSA_KEY_SIZE", "2048", "2048, 3072 or 4096"),
    PKCS8_KEY("--pkcs8-key", "PKCS8_KEY", "false", "write the private key as PKCS#8 instead of SEC1/PKCS#1"),
    OUTPUT_CERTS("--output-certs", "OUTPUT_CERTS", null, "directory to write key.pem, cert-chain.pem, root-cert.pem"),
    FILE_MOUNTED_CERTS("--file-mounted-certs", "FILE_MOUNTED_CERTS", "false",
            "serve default/ROOTCA from mounted files instead of asking the CA"),
    FILE_CERTS_DIR("--file-certs-dir", "MESHID_FILE_CERTS_DIR", "./etc/certs",
            "where FILE_MOUNTED_CERTS finds cert-chain.pem, key.pem, root-cert.pem"),
    SDS_SOCKET("--sds-socket", "MESHID_SDS_SOCKET", "./var/run/secrets/workload-spiffe-uds/socket",
            "Envoy SDS Unix socket"),
    WORKLOAD_API_SOCKET("--workload-api-socket", "MESHID_WORKLOAD_API_SOCKET",
            "./var/run/secrets/workload-spiffe-uds/spiffe.sock", "SPIFFE Workload API Unix socket; 'off' disables"),
    TOKEN_PATH("--token-path", "MESHID_TOKEN_PATH", "./var/run/secrets/tokens/istio-token",
            "service-account token file, re-read for every CA call"),
    CA_ROOT("--ca-root", "MESHID_CA_ROOT", "./var/run/secrets/istio/root-cert.pem",
            "PEM roots that verify the CA's TLS certificate"),
    ADMIN_ADDR("--admin-addr", "MESHID_ADMIN_ADDR", "127.0.0.1:15020", "health, metrics and debug HTTP; 'off' disables"),
    CA_DEADLINE("--ca-deadline", "MESHID_CA_DEADLINE", "10s", "deadline of one CA call, a Go duration"),
    BUNDLE_STREAM("--bundle-stream", "MESHID_BUNDLE_STREAM", "true",
            "follow the meshid CA's trust bundle stream; false takes roots from the CA's answers only");

    private final String flag;
    private final String env;
    private final String defaultValue;
    private final String description;

    AgentSetting(String flag, String env, String defaultValue, String description) {
        this.flag = flag;
        this.env = env;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String flag() {
        return flag;
    }

    public String env() {
        return env;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String description() {
        return description;
    }

    /** How an error message names the setting: {@code SECRET_TTL (--secret-ttl)}. */
    public String label() {
        return env + " (" + flag + ")";
    }
}
