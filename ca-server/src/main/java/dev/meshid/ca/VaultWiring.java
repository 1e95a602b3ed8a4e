package dev.meshid.ca;

import dev.meshid.ca.config.ConfigException;
import dev.meshid.ca.config.VaultConfig;
import dev.meshid.ca.http.HttpEndpoints;
import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.vault.VaultKeySources;
import dev.meshid.ca.vault.VaultKvKeySource;
import dev.meshid.ca.vault.VaultPkiKeySource;
import dev.meshid.ca.vault.VaultSourceStatus;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** The Vault key source in the CA: built from {@link VaultConfig}; its status feeds readiness and metrics. */
final class VaultWiring {
    private VaultWiring() {
    }

    /**
     * The Vault source the configuration names. Credentials reach the source as the Vault CLI would read them;
     * {@code HOME} is passed for the default token file {@code $HOME/.vault-token}.
     *
     * @throws ConfigException for a CA file that holds no certificate or missing token credentials
     */
    static KeySource keySource(VaultConfig vault, Map<String, String> env, Clock clock,
            ScheduledExecutorService scheduler) throws ConfigException {
        Map<String, String> credentials = new HashMap<>();
        vault.token().ifPresent(t -> credentials.put("VAULT_TOKEN", t));
        vault.approleSecretId().ifPresent(s -> credentials.put("MESHID_VAULT_APPROLE_SECRET_ID", s));
        if (env.get("HOME") != null) {
            credentials.put("HOME", env.get("HOME"));
        }
        try {
            return VaultKeySources.from(vault.options(), credentials, clock, scheduler);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(vault.mode().describe() + " is set, but the Vault connection cannot be made: "
                    + e.getMessage());
        }
    }

    /** The status of {@code source} if it is a Vault source. */
    static Optional<Supplier<VaultSourceStatus>> status(KeySource source) {
        if (source instanceof VaultKvKeySource kv) {
            return Optional.of(kv::status);
        }
        if (source instanceof VaultPkiKeySource pki) {
            return Optional.of(pki::status);
        }
        return Optional.empty();
    }

    /** What {@code /healthz/ready} adds for {@code source}: the Vault status, or nothing for other sources. */
    static Supplier<HttpEndpoints.Readiness> readiness(KeySource source) {
        Optional<Supplier<VaultSourceStatus>> status = status(source);
        if (status.isEmpty()) {
            return () -> HttpEndpoints.Readiness.OK;
        }
        Supplier<VaultSourceStatus> s = status.get();
        return () -> readiness(s.get());
    }

    /**
     * Readiness from the source's status: ready while the loaded signing certificate is valid, whether or not
     * Vault answers now (the CA keeps signing with what it has); the detail says when Vault is unreachable.
     */
    static HttpEndpoints.Readiness readiness(VaultSourceStatus s) {
        String vault = s.lastError() == null ? null : "Vault: " + s.lastError() + " (" + s.consecutiveFailures()
                + " failures in a row" + (s.lastSuccess() == null ? "" : ", last success " + s.lastSuccess()) + ")";
        if (s.ready()) {
            return new HttpEndpoints.Readiness(true, vault == null ? null
                    : vault + "; signing with the loaded key until " + s.signerNotAfter());
        }
        String why = s.signerNotAfter() == null ? "no CA material from Vault yet"
                : "the signing certificate from Vault expired at " + s.signerNotAfter();
        return new HttpEndpoints.Readiness(false, vault == null ? why : why + "; " + vault);
    }
}
