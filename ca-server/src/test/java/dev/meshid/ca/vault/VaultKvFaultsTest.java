package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.RecordingListener;
import dev.meshid.ca.keysource.TestCas;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.testing.FakeClock;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV mode under faults and variants, against the Vault test double with the real driver. */
class VaultKvFaultsTest {
    static final String PATH = "secret/meshid/cacerts";

    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private KeySource source;
    private KeyCertBundle ca;
    private String token;

    @BeforeEach
    void startVault() throws Exception {
        vault = VaultTestDouble.http(clock);
        prepare(vault);
        ca = TestCas.pluginCa(clock, "kv");
        vault.putKv(PATH, ca.toPluginFiles());
        token = vault.addToken(Duration.ZERO, false, "secret/data/meshid/*");
    }

    private static void prepare(VaultTestDouble v) {
        v.mountKv("secret", 2);
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        vault.close();
    }

    private RecordingListener start(VaultOptions.Builder options, String withToken) {
        source = VaultKeySources.from(options.build(), Map.of("VAULT_TOKEN", withToken), clock, scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        return l;
    }

    private VaultOptions.Builder options(String kvPath) {
        return VaultOptions.builder().address(URI.create(vault.address())).kvPath(kvPath);
    }

    private VaultSourceStatus status() {
        return ((VaultKvKeySource) source).status();
    }

    @Test
    void start_vaultUnreachable_staysNotReadyRetriesWithBackoff_andLoadsOnceVaultIsBack() throws Exception {
        int port = vault.port();
        vault.close();
        RecordingListener l = start(options(PATH), token);

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).isEmpty();
        assertThat(status().ready()).isFalse();
        assertThat(status().lastError()).contains("cannot reach Vault at http://127.0.0.1:" + port);
        scheduler.advance(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(status().consecutiveFailures()).isEqualTo(3);
        assertThat(l.bundles).isEmpty();

        vault = VaultTestDouble.http(clock, port);
        prepare(vault);
        vault.putKv(PATH, ca.toPluginFiles());
        String newToken = vault.addToken(Duration.ZERO, false, "secret/data/meshid/*");
        assertThat(newToken).isEqualTo(token);
        scheduler.advance(Duration.ofSeconds(4));

        assertThat(l.bundles).hasSize(1);
        assertThat(l.last().signer().certificate()).isEqualTo(ca.signer().certificate());
        assertThat(status().ready()).isTrue();
        assertThat(status().vaultReachable()).isTrue();
    }

    @Test
    void vaultUnreachableLater_keepsTheLoadedBundle_andStatusSaysSo() {
        RecordingListener l = start(options(PATH), token);
        assertThat(l.bundles).hasSize(1);

        vault.close();
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);

        assertThat(l.bundles).hasSize(1);
        assertThat(l.rejections).isEmpty();
        assertThat(status().ready()).isTrue();
        assertThat(status().vaultReachable()).isFalse();
        assertThat(status().lastError()).contains("cannot reach Vault").contains("meshid keeps retrying");
    }

    @Test
    void sealedAtStart_saysSealed_staysNotReady_withoutRejection() {
        vault.health = VaultTestDouble.Health.SEALED;
        RecordingListener l = start(options(PATH), token);

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).isEmpty();
        assertThat(status().lastError()).contains("is sealed (sys/health answered 503)").contains("vault operator unseal");
    }

    @Test
    void sealedAfterLoad_keepsTheBundle_andSaysSealed() {
        RecordingListener l = start(options(PATH), token);
        vault.health = VaultTestDouble.Health.SEALED;
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);

        assertThat(l.bundles).hasSize(1);
        assertThat(status().lastError())
                .contains("is sealed (HTTP 503 on secret/data/meshid/cacerts: Vault is sealed)");
    }

    @Test
    void drSecondary_saysToUseThePrimary() {
        vault.health = VaultTestDouble.Health.DR_SECONDARY;
        start(options(PATH), token);
        assertThat(status().lastError()).contains("disaster-recovery secondary (sys/health answered 472)");
    }

    @Test
    void standbyNode_servesReads() {
        vault.health = VaultTestDouble.Health.STANDBY;
        RecordingListener l = start(options(PATH), token);
        assertThat(l.bundles).hasSize(1);
    }

    @Test
    void policyWithoutTheDataPath_isReportedAsPermissionDenied() {
        String weak = vault.addToken(Duration.ZERO, false, "secret/metadata/meshid/cacerts");
        RecordingListener l = start(options(PATH), weak);
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).singleElement().asString()
                .contains("permission denied (HTTP 403 on secret/data/meshid/cacerts)").contains("policies");
    }

    @Test
    void wrongPath_isReportedAsNotFound() {
        RecordingListener l = start(options("secret/meshid/wrong"), token);

        assertThat(l.rejections).singleElement().asString()
                .contains("nothing at secret/data/meshid/wrong (HTTP 404)");
    }

    @Test
    void fieldThatIsNotText_isReportedAsMalformed_andTheBundleStays() {
        RecordingListener l = start(options(PATH), token);
        Map<String, Object> bad = new LinkedHashMap<>(ca.toPluginFiles());
        bad.put("ca-key.pem", 42);
        vault.putKv(PATH, bad);
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);

        assertThat(l.bundles).hasSize(1);
        assertThat(l.rejections).singleElement().asString().contains(
                "malformed KV data at secret/data/meshid/cacerts: field \"ca-key.pem\" is a JSON number, not a string");
    }

    @Test
    void kvVersion1Mount_isDetected_andReadWithoutTheDataSegment() {
        vault.mountKv("kv", 1);
        vault.putKv("kv/meshid/cacerts", ca.toPluginFiles());
        String t = vault.addToken(Duration.ZERO, false, "kv/meshid/cacerts");
        RecordingListener l = start(options("kv/meshid/cacerts"), t);

        assertThat(l.bundles).hasSize(1);
        assertThat(vault.paths()).contains("GET /v1/kv/meshid/cacerts").noneMatch(p -> p.contains("/data/"));
    }

    @Test
    void customFieldNames_areReadAsThePluginFiles() {
        Map<String, String> renamed = new LinkedHashMap<>();
        ca.toPluginFiles().forEach((k, v) -> renamed.put("meshid-" + k.replace(".pem", ""), v));
        vault.putKv("secret/meshid/renamed", renamed);
        VaultOptions.Builder o = options("secret/meshid/renamed");
        for (String f : ca.toPluginFiles().keySet()) {
            o.kvField(f, "meshid-" + f.replace(".pem", ""));
        }
        RecordingListener l = start(o, token);

        assertThat(l.rejections).isEmpty();
        assertThat(l.last().signer().certificate()).isEqualTo(ca.signer().certificate());
    }

    @Test
    void kvVersion2_onlyTheSecretsPathIsRewritten_notSysOrAuthPaths() {
        start(options(PATH), token);

        assertThat(vault.paths()).containsExactly("GET /v1/sys/health", "GET /v1/auth/token/lookup-self",
                "GET /v1/sys/internal/ui/mounts/secret/meshid/cacerts", "GET /v1/secret/data/meshid/cacerts");
    }
}
