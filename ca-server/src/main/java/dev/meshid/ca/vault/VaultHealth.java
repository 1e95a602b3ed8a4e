package dev.meshid.ca.vault;

/**
 * Reads {@code sys/health} before the first real call, so that a sealed, uninitialized or DR-secondary Vault
 * gets its own message instead of a generic failure. Status codes as documented at
 * https://developer.hashicorp.com/vault/api-docs/system/health: 200 active, 429 standby and 473 performance
 * standby (both forward or serve reads: fine), 472 DR secondary, 501 not initialized, 503 sealed.
 */
final class VaultHealth {
    private VaultHealth() {
    }

    static void require(VaultClient client, String what) throws VaultFailure {
        int status = client.health();
        String at = "Vault at " + client.address();
        switch (status) {
            case 200, 429, 473 -> {
                // serving
            }
            case 503 -> throw new VaultFailure(VaultFailure.Kind.SEALED, at + " is sealed (sys/health answered 503)"
                    + " while " + what + "; unseal it (vault operator unseal); meshid keeps retrying");
            case 501 -> throw new VaultFailure(VaultFailure.Kind.UNAVAILABLE, at + " is not initialized (sys/health"
                    + " answered 501); run vault operator init; meshid keeps retrying");
            case 472 -> throw new VaultFailure(VaultFailure.Kind.UNAVAILABLE, at + " is a disaster-recovery secondary"
                    + " (sys/health answered 472) and serves no secrets; point --vault-addr at the primary cluster");
            default -> throw new VaultFailure(VaultFailure.Kind.UNAVAILABLE, at + " is unhealthy (sys/health answered "
                    + status + "); meshid keeps retrying");
        }
    }
}
