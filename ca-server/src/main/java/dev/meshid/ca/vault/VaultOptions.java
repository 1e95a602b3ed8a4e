package dev.meshid.ca.vault;

import dev.meshid.pki.bundle.PluginForm;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.id.TrustDomain;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the Vault key sources are configured with; built by {@link #builder()}, defaults applied here.
 * Unset connection settings ({@code address}, {@code namespace}, {@code caCertFile}) are taken from the
 * environment as the Vault CLI reads it ({@code VAULT_ADDR}, {@code VAULT_NAMESPACE}, {@code VAULT_CACERT})
 * by {@link VaultKeySources#from}. Exactly one of {@code kvPath} and {@code pkiMount} selects the mode.
 *
 * @param address Vault's address ({@code --vault-addr}), or null for {@code VAULT_ADDR}
 * @param namespace Vault Enterprise namespace sent as {@code X-Vault-Namespace}, or null for {@code VAULT_NAMESPACE}
 * @param caCertFile PEM file of the CA(s) that signed Vault's TLS certificate, or null for {@code VAULT_CACERT}
 *     (and then the JDK's default trust store)
 * @param auth the login method ({@code --vault-auth})
 * @param tokenFile token auth: file holding the token when {@code VAULT_TOKEN} is unset (default
 *     {@code $HOME/.vault-token}, where the Vault CLI keeps it)
 * @param kubernetesRole Kubernetes auth: the Vault role ({@code --vault-role})
 * @param kubernetesTokenFile Kubernetes auth: the CA's own service-account token, re-read at every login
 * @param kubernetesMount Kubernetes auth: the auth mount path, {@code kubernetes} by default
 * @param approleRoleId AppRole auth: the role ID
 * @param approleSecretIdFile AppRole auth: file holding the secret ID (or env {@code MESHID_VAULT_APPROLE_SECRET_ID})
 * @param approleMount AppRole auth: the auth mount path, {@code approle} by default
 * @param kvPath KV mode: the secret's path as {@code vault kv get} takes it, e.g. {@code secret/meshid/cacerts}
 * @param kvFields KV mode: plug-in file name to the secret's field name; defaults to the file names themselves
 * @param kvVersion KV mode: 1 or 2 to skip detecting the mount's version, or null to detect it
 * @param pkiMount PKI mode: the PKI mount, e.g. {@code pki}
 * @param pkiIssuer PKI mode: the issuer reference, or null for the mount's default issuer
 * @param trustDomain PKI mode: goes into the intermediate's CSR as the URI SAN {@code spiffe://<td>}
 * @param intermediateTtl PKI mode: the requested lifetime of each intermediate
 * @param maxWorkloadTtl PKI mode: the CA's maximum workload TTL; an intermediate with less life left is refused
 * @param keyAlgorithm PKI mode: the intermediate's key, generated in this process
 * @param refreshInterval how often the KV secret is re-read and the PKI intermediate's schedule is checked
 * @param retryMin first retry delay after a failure, doubled up to {@code retryMax}
 * @param retryMax longest retry delay
 * @param timeout connect and read timeout of each Vault call
 */
public record VaultOptions(URI address, String namespace, Path caCertFile, VaultAuthMethod auth, Path tokenFile,
        String kubernetesRole, Path kubernetesTokenFile, String kubernetesMount, String approleRoleId,
        Path approleSecretIdFile, String approleMount, String kvPath, Map<String, String> kvFields, Integer kvVersion,
        String pkiMount, String pkiIssuer, TrustDomain trustDomain, Duration intermediateTtl, Duration maxWorkloadTtl,
        KeyAlgorithm keyAlgorithm, Duration refreshInterval, Duration retryMin, Duration retryMax, Duration timeout) {

    public static final Path DEFAULT_KUBERNETES_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);
    public static final Duration DEFAULT_INTERMEDIATE_TTL = Duration.ofHours(8760);
    public static final Duration DEFAULT_MAX_WORKLOAD_TTL = Duration.ofHours(2160);

    public VaultOptions {
        Objects.requireNonNull(auth, "auth");
        kvFields = Map.copyOf(kvFields);
        if ((kvPath == null) == (pkiMount == null)) {
            throw new IllegalArgumentException("set exactly one of --vault-kv-path and --vault-pki-mount");
        }
        if (kvVersion != null && kvVersion != 1 && kvVersion != 2) {
            throw new IllegalArgumentException("KV version must be 1 or 2, got " + kvVersion);
        }
        if (kvPath != null && VaultPaths.segments(kvPath).size() < 2) {
            throw new IllegalArgumentException("--vault-kv-path \"" + kvPath + "\" needs a mount and a secret,"
                    + " e.g. secret/meshid/cacerts");
        }
        if (auth == VaultAuthMethod.KUBERNETES && (kubernetesRole == null || kubernetesRole.isBlank())) {
            throw new IllegalArgumentException("--vault-auth kubernetes needs --vault-role (the Vault role to log in as)");
        }
        if (auth == VaultAuthMethod.APPROLE && (approleRoleId == null || approleRoleId.isBlank())) {
            throw new IllegalArgumentException("--vault-auth approle needs --vault-approle-role-id");
        }
        for (Duration d : new Duration[] {intermediateTtl, maxWorkloadTtl, refreshInterval, retryMin, retryMax, timeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("Vault durations must be positive, got " + d);
            }
        }
        if (retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("retryMax " + retryMax + " is shorter than retryMin " + retryMin);
        }
    }

    /** The field holding plug-in file {@code file} in the KV secret. */
    public String fieldFor(String file) {
        return kvFields.getOrDefault(file, file);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.address = address; b.namespace = namespace; b.caCertFile = caCertFile; b.auth = auth; b.tokenFile = tokenFile;
        b.kubernetesRole = kubernetesRole; b.kubernetesTokenFile = kubernetesTokenFile; b.kubernetesMount = kubernetesMount;
        b.approleRoleId = approleRoleId; b.approleSecretIdFile = approleSecretIdFile; b.approleMount = approleMount;
        b.kvPath = kvPath; b.kvFields.putAll(kvFields); b.kvVersion = kvVersion; b.pkiMount = pkiMount;
        b.pkiIssuer = pkiIssuer; b.trustDomain = trustDomain; b.intermediateTtl = intermediateTtl;
        b.maxWorkloadTtl = maxWorkloadTtl; b.keyAlgorithm = keyAlgorithm; b.refreshInterval = refreshInterval;
        b.retryMin = retryMin; b.retryMax = retryMax; b.timeout = timeout;
        return b;
    }

    /** Fluent construction; every setting has a default except the mode ({@link #kvPath} or {@link #pkiMount}). */
    public static final class Builder {
        private URI address;
        private String namespace;
        private Path caCertFile;
        private VaultAuthMethod auth = VaultAuthMethod.TOKEN;
        private Path tokenFile;
        private String kubernetesRole;
        private Path kubernetesTokenFile = DEFAULT_KUBERNETES_TOKEN;
        private String kubernetesMount = "kubernetes";
        private String approleRoleId;
        private Path approleSecretIdFile;
        private String approleMount = "approle";
        private String kvPath;
        private final Map<String, String> kvFields = new LinkedHashMap<>();
        private Integer kvVersion;
        private String pkiMount;
        private String pkiIssuer;
        private TrustDomain trustDomain = TrustDomain.parse("cluster.local");
        private Duration intermediateTtl = DEFAULT_INTERMEDIATE_TTL;
        private Duration maxWorkloadTtl = DEFAULT_MAX_WORKLOAD_TTL;
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.EC_P256;
        private Duration refreshInterval = DEFAULT_REFRESH;
        private Duration retryMin = Duration.ofSeconds(1);
        private Duration retryMax = Duration.ofSeconds(60);
        private Duration timeout = Duration.ofSeconds(10);

        public Builder address(URI v) { address = v; return this; }
        public Builder namespace(String v) { namespace = v; return this; }
        public Builder caCertFile(Path v) { caCertFile = v; return this; }
        public Builder auth(VaultAuthMethod v) { auth = v; return this; }
        public Builder tokenFile(Path v) { tokenFile = v; return this; }
        public Builder kubernetes(String role, Path tokenFile) { kubernetesRole = role; kubernetesTokenFile = tokenFile; return this; }
        public Builder kubernetesMount(String v) { kubernetesMount = v; return this; }
        public Builder approle(String roleId, Path secretIdFile) { approleRoleId = roleId; approleSecretIdFile = secretIdFile; return this; }
        public Builder approleMount(String v) { approleMount = v; return this; }
        public Builder kvPath(String v) { kvPath = v; return this; }
        /** Reads plug-in file {@code file} (e.g. {@code ca-key.pem}) from the secret's field {@code field}. */
        public Builder kvField(String file, String field) {
            if (!PluginForm.allFileNames().contains(file)) {
                throw new IllegalArgumentException("\"" + file + "\" is not a plug-in file name; use one of "
                        + PluginForm.allFileNames());
            }
            kvFields.put(file, field);
            return this;
        }
        public Builder kvVersion(Integer v) { kvVersion = v; return this; }
        public Builder pkiMount(String v) { pkiMount = v; return this; }
        public Builder pkiIssuer(String v) { pkiIssuer = v; return this; }
        public Builder trustDomain(TrustDomain v) { trustDomain = v; return this; }
        public Builder intermediateTtl(Duration v) { intermediateTtl = v; return this; }
        public Builder maxWorkloadTtl(Duration v) { maxWorkloadTtl = v; return this; }
        public Builder keyAlgorithm(KeyAlgorithm v) { keyAlgorithm = v; return this; }
        public Builder refreshInterval(Duration v) { refreshInterval = v; return this; }
        public Builder retry(Duration min, Duration max) { retryMin = min; retryMax = max; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }

        public VaultOptions build() {
            return new VaultOptions(address, namespace, caCertFile, auth, tokenFile, kubernetesRole, kubernetesTokenFile,
                    kubernetesMount, approleRoleId, approleSecretIdFile, approleMount, kvPath, kvFields, kvVersion,
                    pkiMount, pkiIssuer, trustDomain, intermediateTtl, maxWorkloadTtl, keyAlgorithm, refreshInterval,
                    retryMin, retryMax, timeout);
        }
    }
}
