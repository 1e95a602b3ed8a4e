package dev.meshid.ca.vault;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where Vault is and how to talk to it, resolved from {@link VaultOptions} and the environment the way the
 * Vault CLI reads it: {@code VAULT_ADDR}, {@code VAULT_TOKEN}, {@code VAULT_NAMESPACE}, {@code VAULT_CACERT}
 * (options set explicitly win). The CA file is read once, here, so a wrong path stops the CA at start.
 *
 * @param address Vault's base URL, e.g. {@code https://vault.vault.svc:8200}
 * @param namespace the {@code X-Vault-Namespace} value, or null
 * @param caPem PEM of the CA certificates to trust for Vault's TLS certificate, or null for the JDK's trust store
 * @param timeout connect and read timeout
 * @param credentials how to log in
 */
record VaultConnection(URI address, String namespace, String caPem, Duration timeout, VaultCredentials credentials) {

    VaultConnection {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(credentials, "credentials");
        String scheme = address.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || address.getHost() == null) {
            throw new IllegalArgumentException("Vault address \"" + address + "\" is not an http(s) URL; set"
                    + " --vault-addr or VAULT_ADDR to e.g. https://vault.vault.svc:8200");
        }
    }

    /** Base URL without a trailing slash, as the driver wants it. */
    String baseUrl() {
        String s = address.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static VaultConnection resolve(VaultOptions o, Map<String, String> env) {
        URI address = o.address() != null ? o.address() : uri(env.get("VAULT_ADDR"));
        String namespace = o.namespace() != null ? o.namespace() : blankToNull(env.get("VAULT_NAMESPACE"));
        Path caFile = o.caCertFile() != null ? o.caCertFile() : pathOrNull(env.get("VAULT_CACERT"));
        String caPem = null;
        if (caFile != null) {
            try {
                caPem = Pem.readFile(caFile);
                Pem.readCertificates(caPem);
            } catch (PkiException e) {
                throw new IllegalArgumentException("VAULT_CACERT / --vault-cacert " + caFile + ": " + e.getMessage(), e);
            }
        }
        return new VaultConnection(address, namespace, caPem, o.timeout(), credentials(o, env));
    }

    private static VaultCredentials credentials(VaultOptions o, Map<String, String> env) {
        return switch (o.auth()) {
            case TOKEN -> {
                String token = blankToNull(env.get("VAULT_TOKEN"));
                Path file = o.tokenFile();
                if (token == null && file == null) {
                    String home = env.get("HOME");
                    if (home == null) {
                        throw new IllegalArgumentException("--vault-auth token needs VAULT_TOKEN or --vault-token-file");
                    }
                    file = Path.of(home, ".vault-token");
                }
                yield new VaultCredentials.Token(token, file);
            }
            case KUBERNETES -> new VaultCredentials.Kubernetes(o.kubernetesRole(), o.kubernetesTokenFile(),
                    o.kubernetesMount());
            case APPROLE -> new VaultCredentials.AppRole(o.approleRoleId(),
                    blankToNull(env.get("MESHID_VAULT_APPROLE_SECRET_ID")), o.approleSecretIdFile(), o.approleMount());
        };
    }

    private static URI uri(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no Vault address: set --vault-addr or VAULT_ADDR"
                    + " (e.g. https://vault.vault.svc:8200)");
        }
        try {
            return URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("VAULT_ADDR \"" + text + "\" is not a URL: " + e.getMessage(), e);
        }
    }

    private static Path pathOrNull(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Shows where and how, never a credential. */
    @Override
    public String toString() {
        return "VaultConnection[" + baseUrl() + (namespace == null ? "" : ", namespace " + namespace)
                + (caPem == null ? "" : ", custom CA") + ", " + credentials + "]";
    }
}
