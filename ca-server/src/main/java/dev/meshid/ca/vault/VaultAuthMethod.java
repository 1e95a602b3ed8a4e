package dev.meshid.ca.vault;

import java.util.Locale;

/** How meshid logs in to Vault ({@code --vault-auth}). */
public enum VaultAuthMethod {
    /** A token from {@code VAULT_TOKEN} or a token file; checked with {@code lookup-self}, renewed when renewable. */
    TOKEN,
    /** {@code auth/<mount>/login} with a role and the CA's own service-account token. */
    KUBERNETES,
    /** {@code auth/<mount>/login} with a role ID and a secret ID. */
    APPROLE;

    /** The flag value: {@code token}, {@code kubernetes} or {@code approle}. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a flag value.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static VaultAuthMethod parse(String text) {
        for (VaultAuthMethod m : values()) {
            if (m.flagValue().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("--vault-auth \"" + text + "\" is not valid; use token, kubernetes or approle");
    }
}
