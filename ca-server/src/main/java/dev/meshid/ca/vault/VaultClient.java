package dev.meshid.ca.vault;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Vault calls meshid makes, through the Vault Java driver, with every failure turned into a
 * {@link VaultFailure}. The driver is configured so that it rewrites no path by itself: its global KV
 * version is 1 (paths as given) and only the KV secret's own path is registered as KV v2 (a global v2
 * rewrites PKI and sys paths too, DEPENDENCIES.md trap 7). Calls are serialized; the token is swapped in
 * after each login.
 */
final class VaultClient {
    /** The driver reads no environment variable: meshid resolves them itself (VaultConnection). */
    private static final class NoEnvironment extends EnvironmentLoader {
        private static final long serialVersionUID = 1L;

        @Override
        public String loadVariable(String name) {
            return null;
        }
    }

    private final VaultConnection connection;
    private final VaultConfig config;
    private final Vault vault;

    VaultClient(VaultConnection connection) {
        this.connection = connection;
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connection.timeout());
        if (connection.caPem() != null) {
            http.sslContext(TlsTrust.context(connection.caPem()));
        }
        int seconds = (int) Math.max(1, connection.timeout().toSeconds());
        try {
            config = new VaultConfig().environmentLoader(new NoEnvironment()).address(connection.baseUrl())
                    .httpClient(http.build()).openTimeout(seconds).readTimeout(seconds);
            if (connection.namespace() != null) {
                config.nameSpace(connection.namespace());
            }
            config.build();
        } catch (VaultException e) {
            throw new IllegalArgumentException("cannot configure the Vault client: " + e.getMessage(), e);
        }
        vault = Vault.create(config, 1);
    }

    String address() {
        return connection.baseUrl();
    }

    VaultConnection connection() {
        return connection;
    }

    /** Registers {@code kvPath} (as {@code vault kv get} takes it) as KV v2 on a mount {@code mountDepth} segments deep. */
    synchronized void registerKv2(String kvPath, int mountDepth) {
        config.putSecretsEngineVersionForPath(kvPath + "/", "2");
        config.prefixPathDepth(mountDepth);
    }

    synchronized void useToken(String token) {
        config.token(token);
    }

    /** {@code GET sys/health}: returns the status code (200, 429, 472, 473, 501, 503, ...). */
    synchronized int health() throws VaultFailure {
        try {
            HealthResponse h = vault.debug().health();
            return h.getRestResponse().getStatus();
        } catch (VaultException e) {
            throw VaultErrors.of(address(), e, "sys/health", "checking Vault's health");
        }
    }

    synchronized LookupResponse lookupSelf(String what) throws VaultFailure {
        try {
            return vault.auth().lookupSelf();
        } catch (VaultException e) {
            throw VaultErrors.of(address(), e, "auth/token/lookup-self", what);
        }
    }

    synchronized AuthResponse renewSelf(String what) throws VaultFailure {
        try {
            return vault.auth().renewSelf();
        } catch (VaultException e) {
            throw VaultErrors.of(address(), e, "auth/token/renew-self", what);
        }
    }

    synchronized AuthResponse loginKubernetes(String mount, String role, String jwt) throws VaultFailure {
        try {
            return vault.auth().loginByKubernetes(role, jwt, "auth/" + mount);
        } catch (VaultException e) {
            throw VaultErrors.of(address(), e, "auth/" + mount + "/login", "logging in with Kubernetes auth as role " + role);
        }
    }

    synchronized AuthResponse loginAppRole(String mount, String roleId, String secretId) throws VaultFailure {
        try {
            return vault.auth().loginByAppRole(mount, roleId, secretId);
        } catch (VaultException e) {
            throw VaultErrors.of(address(), e, "auth/" + mount + "/login", "logging in with AppRole " + roleId);
        }
    }

    /** A read; {@code apiPath} is the path Vault sees (for error messages), {@code path} what the driver is given. */
    synchronized String read(String path, String apiPath, String what) throws VaultFailure {
        LogicalResponse r;
        try {
            r = vault.logical().read(path);
        } catch (VaultException e) {
            throw VaultErrors.of(address(), e, apiPath, what);
        }
        return bodyIfOk(r, apiPath, what);
    }

    synchronized String write(String path, Map<String, Object> body, String what) throws VaultFailure {
        LogicalResponse r;
        try {
            r = vault.logical().write(path, body);
        } catch (VaultException e) {
            throw VaultErrors.of(address(), e, path, what);
        }
        return bodyIfOk(r, path, what);
    }

    private String bodyIfOk(LogicalResponse r, String path, String what) throws VaultFailure {
        int status = r.getRestResponse().getStatus();
        String body = new String(r.getRestResponse().getBody(), StandardCharsets.UTF_8);
        if (status != 200) {
            throw VaultErrors.of(address(), status, body, path, what);
        }
        return body;
    }
}
