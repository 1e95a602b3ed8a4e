package dev.meshid.ca.vault;

import java.time.Instant;

/**
 * What a Vault key source reports for readiness and metrics.
 *
 * @param ready a verified bundle was delivered and its signing certificate has not expired
 * @param vaultReachable the last call to Vault succeeded
 * @param lastSuccess when the last call to Vault succeeded, or null if none did
 * @param lastError the message of the last failure since the last success, or null
 * @param consecutiveFailures failed attempts since the last success
 * @param rejections invalid material or configuration problems reported through {@code onRejected}
 * @param signerNotAfter NotAfter of the signing certificate in use, or null before the first bundle
 */
public record VaultSourceStatus(boolean ready, boolean vaultReachable, Instant lastSuccess, String lastError,
        long consecutiveFailures, long rejections, Instant signerNotAfter) {
}
