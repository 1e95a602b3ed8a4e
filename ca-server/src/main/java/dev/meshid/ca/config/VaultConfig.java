package dev.meshid.ca.config;

import dev.meshid.ca.vault.VaultOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * The Vault key source as configured ({@code --vault-kv-path} or {@code --vault-pki-mount} and the
 * {@code --vault-*} settings around it; docs/vault.md). Credentials given as values ({@code VAULT_TOKEN},
 * {@code MESHID_VAULT_APPROLE_SECRET_ID}) are kept apart from the options and never shown by {@link #toString}.
 *
 * @param options everything the Vault source is built with; address, namespace and CA file already resolved
 *     from the flags and the Vault CLI's variables
 * @param token the token from {@code VAULT_TOKEN} (or the config file's {@code vaultToken}), if any
 * @param approleSecretId the AppRole secret ID given as a value, if any
 */
public record VaultConfig(VaultOptions options, Optional<String> token, Optional<String> approleSecretId) {

    public VaultConfig {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(approleSecretId, "approleSecretId");
    }

    /** The setting that selected Vault: {@link Setting#VAULT_KV_PATH} or {@link Setting#VAULT_PKI_MOUNT}. */
    public Setting mode() {
        return options.kvPath() != null ? Setting.VAULT_KV_PATH : Setting.VAULT_PKI_MOUNT;
    }

    /** Names the mode and the address; never a credential. */
    @Override
    public String toString() {
        return "VaultConfig[" + (options.kvPath() != null ? "kv " + options.kvPath() : "pki " + options.pkiMount())
                + " at " + options.address() + ", auth " + options.auth().flagValue()
                + (token.isPresent() ? ", token from VAULT_TOKEN" : "") + "]";
    }
}
