package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.ca.config.Setting;
import dev.meshid.ca.keysource.TestCas;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.testing.TestPki;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshid ca} with Vault end to end: the real {@link dev.meshid.ca.CaServer} configured through the
 * {@code --vault-*} settings, the Vault test double driven by the real driver, a grpc-java client over TLS,
 * and the real {@code openssl verify} against the root that only Vault holds.
 */
class VaultCaServerE2ETest {
    static final String KV = "secret/meshid/cacerts";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final Clock clock = Clock.systemUTC();
    private VaultTestDouble vault;
    private VaultCa ca;

    @AfterEach
    void stop() {
        if (ca != null) {
            ca.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    private VaultCa startCa(Map<Setting, String> vaultFlags, String token) throws Exception {
        Map<Setting, String> flags = new EnumMap<>(vaultFlags);
        flags.put(Setting.VAULT_REFRESH, "300ms");
        ca = new VaultCa(dir, flags, Map.of("VAULT_TOKEN", token));
        return ca;
    }

    private static KeyCertBundle bundle(TestPki.Issued root, TestPki.Issued signing) {
        return new KeyCertBundle(signing.signer(), signing.intermediates(), new TrustBundle(List.of(root.cert())));
    }

    private Map<Setting, String> kvFlags() {
        return Map.of(Setting.VAULT_ADDR, vault.address(), Setting.VAULT_KV_PATH, KV);
    }

    private X509Certificate activeSigner() {
        return ca.server.signer().active().orElseThrow().bundle().signer().certificate();
    }

    @Test
    void kvMode_caReadyFromTheKvSecret_issuesCertificateThatOpensslVerifiesAgainstTheVaultHeldRoot() throws Exception {
        vault = VaultTestDouble.http(clock);
        vault.mountKv("secret", 2);
        TestPki.Issued root = TestPki.root("kv e2e root").build();
        TestPki.Issued signing = root.intermediate("meshid CA v1").build();
        vault.putKv(KV, bundle(root, signing).toPluginFiles());

        startCa(kvFlags(), vault.addToken(Duration.ZERO, false, "secret/data/meshid/cacerts"));

        await().atMost(WAIT).until(() -> ca.get("/healthz/ready").statusCode() == 200);
        List<X509Certificate> sent = VaultCa.verifyWithOpenssl(ca.issue(root.cert()), root.cert());
        assertThat(sent).containsExactly(signing.cert());
        assertThat(ca.metric("meshid_ca_vault_reachable")).isEqualTo(1.0);
        assertThat(ca.metric("meshid_ca_vault_consecutive_failures")).isZero();
        assertThat(ca.metric("meshid_ca_vault_last_success_timestamp_seconds"))
                .isCloseTo(clock.instant().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
    }

    @Test
    void kvMode_newVersionAppliedWithoutRestart_invalidVersionRefused_caKeepsSigning() throws Exception {
        vault = VaultTestDouble.http(clock);
        vault.mountKv("secret", 2);
        TestPki.Issued root = TestPki.root("kv rotation root").build();
        TestPki.Issued first = root.intermediate("meshid CA v1").build();
        vault.putKv(KV, bundle(root, first).toPluginFiles());
        startCa(kvFlags(), vault.addToken(Duration.ZERO, false, "secret/data/meshid/cacerts"));
        await().atMost(WAIT).until(() -> ca.get("/healthz/ready").statusCode() == 200);

        TestPki.Issued second = root.intermediate("meshid CA v2").build();
        vault.putKv(KV, bundle(root, second).toPluginFiles());
        await().atMost(WAIT).until(() -> activeSigner().equals(second.cert()));
        assertThat(VaultCa.verifyWithOpenssl(ca.issue(root.cert()), root.cert())).containsExactly(second.cert());

        vault.putKv(KV, TestCas.withForeignKey(bundle(root, root.intermediate("meshid CA v3").build()).toPluginFiles()));
        await().atMost(WAIT).until(() -> ca.server.signer().rejectedCount() == 1);
        assertThat(activeSigner()).isEqualTo(second.cert());
        assertThat(VaultCa.verifyWithOpenssl(ca.issue(root.cert()), root.cert())).containsExactly(second.cert());
        assertThat(ca.get("/healthz/ready").statusCode()).isEqualTo(200);
        assertThat(ca.metric("meshid_ca_keysource_rejected_total")).isEqualTo(1.0);
    }

    @Test
    void pkiMode_intermediateSignedByVaultsPkiRoot_workloadCertificateVerifiesAgainstThatRoot() throws Exception {
        vault = VaultTestDouble.http(clock);
        TestPki.Issued root = vault.mountPki("pki", "root-2025");
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.VAULT_ADDR, vault.address());
        flags.put(Setting.VAULT_PKI_MOUNT, "pki");
        flags.put(Setting.VAULT_PKI_TTL, "72h");
        flags.put(Setting.MAX_TTL, "24h");
        flags.put(Setting.DEFAULT_TTL, "1h");

        startCa(flags, vault.addToken(Duration.ZERO, false, "pki/root/sign-intermediate"));

        await().atMost(WAIT).until(() -> ca.get("/healthz/ready").statusCode() == 200);
        List<X509Certificate> sent = VaultCa.verifyWithOpenssl(ca.issue(root.cert()), root.cert());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).isEqualTo(vault.lastSigned);
        assertThat(sent.get(0).getIssuerX500Principal()).isEqualTo(root.cert().getSubjectX500Principal());
        assertThat(vault.count("POST", "/v1/pki/root/sign-intermediate")).isEqualTo(1);
    }

    @Test
    void vaultUnreachableAtStart_notReady503_thenReadyWhenVaultComesUp() throws Exception {
        VaultTestDouble probe = VaultTestDouble.http(clock);
        int port = probe.port();
        String address = probe.address();
        probe.close();
        String token = "hvs.e2e-start";
        startCa(Map.of(Setting.VAULT_ADDR, address, Setting.VAULT_KV_PATH, KV), token);

        await().atMost(WAIT).until(() -> ca.metric("meshid_ca_vault_consecutive_failures") >= 1);
        HttpResponse<String> notReady = ca.get("/healthz/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("no signing material").contains("cannot reach Vault at " + address);
        assertThat(ca.metric("meshid_ca_vault_reachable")).isZero();

        vault = VaultTestDouble.http(clock, port);
        vault.tokens.put(token, new VaultTestDouble.Token(token, List.of("secret/data/meshid/cacerts"), Duration.ZERO,
                false, clock.millis(), null));
        vault.mountKv("secret", 2);
        TestPki.Issued root = TestPki.root("late root").build();
        vault.putKv(KV, bundle(root, root.intermediate("late CA").build()).toPluginFiles());

        await().atMost(WAIT).until(() -> ca.get("/healthz/ready").statusCode() == 200);
        assertThat(ca.metric("meshid_ca_vault_reachable")).isEqualTo(1.0);
        VaultCa.verifyWithOpenssl(ca.issue(root.cert()), root.cert());
    }

    @Test
    void vaultDownLater_caKeepsIssuingWithTheLoadedKey_readyStays200_metricSaysUnreachable() throws Exception {
        vault = VaultTestDouble.http(clock);
        vault.mountKv("secret", 2);
        TestPki.Issued root = TestPki.root("down root").build();
        TestPki.Issued signing = root.intermediate("down CA").build();
        vault.putKv(KV, bundle(root, signing).toPluginFiles());
        startCa(kvFlags(), vault.addToken(Duration.ZERO, false, "secret/data/meshid/cacerts"));
        await().atMost(WAIT).until(() -> ca.get("/healthz/ready").statusCode() == 200);

        vault.close();

        await().atMost(WAIT).until(() -> ca.metric("meshid_ca_vault_reachable") == 0.0);
        assertThat(ca.metric("meshid_ca_vault_consecutive_failures")).isGreaterThanOrEqualTo(1.0);
        assertThat(VaultCa.verifyWithOpenssl(ca.issue(root.cert()), root.cert())).containsExactly(signing.cert());
        HttpResponse<String> ready = ca.get("/healthz/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("cannot reach Vault").contains("signing with the loaded key until");
    }
}
