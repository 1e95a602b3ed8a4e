package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.RecordingListener;
import dev.meshid.ca.keysource.TestCas;
import dev.meshid.pki.testing.FakeClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token, Kubernetes and AppRole login, token renewal and namespaces, against the Vault test double. */
class VaultAuthTest {
    static final String PATH = "secret/meshid/cacerts";
    static final String POLICY = "secret/data/meshid/cacerts";

    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private KeySource source;
    @TempDir
    Path dir;

    @BeforeEach
    void startVault() throws Exception {
        vault = VaultTestDouble.http(clock);
        vault.mountKv("secret", 2);
        vault.putKv(PATH, TestCas.pluginCa(clock, "auth").toPluginFiles());
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        vault.close();
    }

    private RecordingListener start(VaultOptions.Builder options, Map<String, String> env) {
        source = VaultKeySources.from(options.address(URI.create(vault.address())).kvPath(PATH).build(), env, clock,
                scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        return l;
    }

    @Test
    void renewableToken_isLookedUpAtStart_andRenewedAtHalfItsTtl() {
        String token = vault.addToken(Duration.ofHours(1), true, POLICY);
        RecordingListener l = start(VaultOptions.builder(), Map.of("VAULT_TOKEN", token));
        assertThat(l.bundles).hasSize(1);
        assertThat(vault.count("GET", "/v1/auth/token/lookup-self")).isEqualTo(1);

        scheduler.advance(Duration.ofMinutes(29));
        assertThat(vault.count("POST", "/v1/auth/token/renew-self")).isZero();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(vault.count("POST", "/v1/auth/token/renew-self")).isEqualTo(1);
        // Renewed: still valid after the original hour, so reads keep working.
        scheduler.advance(Duration.ofMinutes(45));
        assertThat(((VaultKvKeySource) source).status().vaultReachable()).isTrue();
        assertThat(((VaultKvKeySource) source).tokenRenewals()).isEqualTo(2);
    }

    @Test
    void tokenFile_isUsedWhenVaultTokenIsUnset() throws Exception {
        String token = vault.addToken(Duration.ZERO, false, POLICY);
        Path file = Files.writeString(dir.resolve("token"), token + "\n");
        RecordingListener l = start(VaultOptions.builder().tokenFile(file), Map.of());

        assertThat(l.bundles).hasSize(1);
        assertThat(vault.requests).allMatch(r -> r.path().equals("/v1/sys/health") || token.equals(r.token()));
    }

    @Test
    void kubernetesAuth_logsInWithRoleAndServiceAccountToken_andUsesTheIssuedToken() throws Exception {
        vault.kubernetesRole("meshid-ca", "sa-jwt-1", Duration.ofHours(1), POLICY);
        Path jwt = Files.writeString(dir.resolve("sa-token"), "sa-jwt-1");
        RecordingListener l = start(VaultOptions.builder().auth(VaultAuthMethod.KUBERNETES).kubernetes("meshid-ca", jwt),
                Map.of());

        assertThat(l.bundles).hasSize(1);
        VaultTestDouble.Request login = vault.requests.stream()
                .filter(r -> r.path().equals("/v1/auth/kubernetes/login")).findFirst().orElseThrow();
        assertThat(login.body()).contains("\"role\":\"meshid-ca\"").contains("\"jwt\":\"sa-jwt-1\"");
        assertThat(vault.requests.stream().filter(r -> r.path().equals("/v1/secret/data/meshid/cacerts")))
                .allMatch(r -> vault.tokens.containsKey(r.token()));
        scheduler.advance(Duration.ofMinutes(30));
        assertThat(vault.count("POST", "/v1/auth/token/renew-self")).isEqualTo(1);
    }

    @Test
    void kubernetesAuth_withATokenVaultRefuses_saysPermissionDenied() throws Exception {
        vault.kubernetesRole("meshid-ca", "sa-jwt-1", Duration.ofHours(1), POLICY);
        Path jwt = Files.writeString(dir.resolve("sa-token"), "someone-elses-jwt");
        RecordingListener l = start(VaultOptions.builder().auth(VaultAuthMethod.KUBERNETES).kubernetes("meshid-ca", jwt),
                Map.of());

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).singleElement().asString().contains("permission denied (HTTP 403 on auth/kubernetes/login)");
    }

    @Test
    void kubernetesAuth_missingServiceAccountToken_saysWhichFile() {
        Path missing = dir.resolve("no-such-token");
        RecordingListener l = start(VaultOptions.builder().auth(VaultAuthMethod.KUBERNETES)
                .kubernetes("meshid-ca", missing), Map.of());

        assertThat(l.rejections).singleElement().asString()
                .contains("cannot read the service-account token " + missing);
    }

    @Test
    void appRole_logsInWithRoleIdAndSecretId() throws Exception {
        vault.appRole("role-123", "secret-456", Duration.ofHours(1), POLICY);
        Path secretId = Files.writeString(dir.resolve("secret-id"), "secret-456\n");
        RecordingListener l = start(VaultOptions.builder().auth(VaultAuthMethod.APPROLE).approle("role-123", secretId),
                Map.of());

        assertThat(l.bundles).hasSize(1);
        assertThat(vault.count("POST", "/v1/auth/approle/login")).isEqualTo(1);
    }

    @Test
    void appRole_wrongSecretId_isReportedWithVaultsReason() throws Exception {
        vault.appRole("role-123", "secret-456", Duration.ofHours(1), POLICY);
        RecordingListener l = start(VaultOptions.builder().auth(VaultAuthMethod.APPROLE).approle("role-123", null),
                Map.of("MESHID_VAULT_APPROLE_SECRET_ID", "wrong"));

        assertThat(l.rejections).singleElement().asString()
                .contains("Vault refused logging in with AppRole role-123 (HTTP 400 on auth/approle/login: invalid secret id)");
    }

    @Test
    void namespace_isSentAsXVaultNamespace_onEveryCall() {
        vault.namespace = "team-a";
        String token = vault.addToken(Duration.ZERO, false, POLICY);
        RecordingListener l = start(VaultOptions.builder(), Map.of("VAULT_TOKEN", token, "VAULT_NAMESPACE", "team-a"));

        assertThat(l.bundles).hasSize(1);
        assertThat(vault.requests).allMatch(r -> "team-a".equals(r.namespace()));
    }

    @Test
    void namespace_missing_isPermissionDenied() {
        vault.namespace = "team-a";
        String token = vault.addToken(Duration.ZERO, false, POLICY);
        RecordingListener l = start(VaultOptions.builder(), Map.of("VAULT_TOKEN", token));

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).singleElement().asString().contains("permission denied (HTTP 403 on auth/token/lookup-self)");
    }
}
