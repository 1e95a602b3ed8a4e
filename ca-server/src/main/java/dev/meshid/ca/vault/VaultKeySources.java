package dev.meshid.ca.vault;

import dev.meshid.ca.keysource.KeySource;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/** Builds the Vault key source the options select; what the CA wiring calls for {@code --vault-*} flags. */
public final class VaultKeySources {
    private VaultKeySources() {
    }

    /**
     * The KV source when {@link VaultOptions#kvPath} is set, else the PKI source. Connection settings missing
     * from the options come from {@code env} as the Vault CLI reads them ({@code VAULT_ADDR},
     * {@code VAULT_TOKEN}, {@code VAULT_NAMESPACE}, {@code VAULT_CACERT}). Nothing is contacted until
     * {@link KeySource#start}.
     *
     * @throws IllegalArgumentException for a missing address, an unreadable CA file or missing credentials,
     *     naming the setting and what would be valid
     */
    public static KeySource from(VaultOptions options, Map<String, String> env, Clock clock,
            ScheduledExecutorService scheduler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        VaultClient client = new VaultClient(VaultConnection.resolve(options, env));
        return options.kvPath() != null ? new VaultKvKeySource(client, options, clock, scheduler)
                : new VaultPkiKeySource(client, options, clock, scheduler);
    }
}
