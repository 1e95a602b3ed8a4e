package dev.meshid.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.http.HttpEndpoints;
import dev.meshid.ca.vault.VaultSourceStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a Vault source's status becomes {@code /healthz/ready}. */
class VaultWiringTest {
    private static final Instant NOT_AFTER = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant SUCCESS = Instant.parse("2029-06-01T00:00:00Z");

    @Test
    void readiness_signerValidAndVaultAnswering_readyWithoutDetail() {
        HttpEndpoints.Readiness r = VaultWiring.readiness(new VaultSourceStatus(true, true, SUCCESS, null, 0, 0, NOT_AFTER));

        assertThat(r).isEqualTo(HttpEndpoints.Readiness.OK);
    }

    @Test
    void readiness_signerValidButVaultUnreachable_staysReadyAndSaysUntilWhenItCanSign() {
        HttpEndpoints.Readiness r = VaultWiring.readiness(new VaultSourceStatus(true, false, SUCCESS,
                "cannot reach Vault at https://v:8200", 3, 0, NOT_AFTER));

        assertThat(r.ready()).isTrue();
        assertThat(r.detail()).contains("cannot reach Vault at https://v:8200").contains("3 failures in a row")
                .contains("last success " + SUCCESS).contains("signing with the loaded key until " + NOT_AFTER);
    }

    @Test
    void readiness_beforeTheFirstBundle_notReadyWithVaultsError() {
        HttpEndpoints.Readiness r = VaultWiring.readiness(new VaultSourceStatus(false, false, null,
                "Vault at https://v:8200 is sealed", 1, 0, null));

        assertThat(r.ready()).isFalse();
        assertThat(r.detail()).startsWith("no CA material from Vault yet").contains("is sealed");
    }

    @Test
    void readiness_signerExpiredWhileVaultDown_notReady() {
        HttpEndpoints.Readiness r = VaultWiring.readiness(new VaultSourceStatus(false, false, SUCCESS,
                "cannot reach Vault", 40, 0, NOT_AFTER));

        assertThat(r.ready()).isFalse();
        assertThat(r.detail()).contains("expired at " + NOT_AFTER);
    }
}
