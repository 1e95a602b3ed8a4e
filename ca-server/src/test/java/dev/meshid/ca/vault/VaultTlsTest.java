package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.RecordingListener;
import dev.meshid.ca.keysource.TestCas;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS to Vault with the CA of VAULT_CACERT, over a real HTTPS listener on loopback. */
class VaultTlsTest {
    private final FakeClock clock = FakeClock.startingNow();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private TestPki.Issued vaultCa;
    private KeySource source;
    private String token;
    @TempDir
    Path dir;

    @BeforeEach
    void startVault() throws Exception {
        vaultCa = TestPki.root("vault tls root").at(Clock.systemUTC()).build();
        TestPki.Issued serving = vaultCa.svid("spiffe://vault.local/server").dnsSans("localhost").build();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("vault", serving.key(), new char[0], new Certificate[] {serving.cert(), vaultCa.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        vault = VaultTestDouble.https(clock, tls);
        vault.mountKv("secret", 2);
        vault.putKv("secret/meshid/cacerts", TestCas.pluginCa(clock, "tls").toPluginFiles());
        token = vault.addToken(Duration.ZERO, false, "secret/data/meshid/cacerts");
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        vault.close();
    }

    private RecordingListener start(Map<String, String> env) {
        source = VaultKeySources.from(VaultOptions.builder().kvPath("secret/meshid/cacerts").build(), env, clock,
                scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        return l;
    }

    @Test
    void vaultCacert_trustsVaultsServingCertificate() throws Exception {
        Path ca = Files.writeString(dir.resolve("vault-ca.pem"), Pem.write(vaultCa.cert()));
        RecordingListener l = start(Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", token,
                "VAULT_CACERT", ca.toString()));

        assertThat(l.bundles).hasSize(1);
        assertThat(vault.address()).startsWith("https://");
    }

    @Test
    void withoutVaultCacert_theHandshakeFails_andTheErrorSaysSo() {
        Map<String, String> env = new HashMap<>(Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", token));
        RecordingListener l = start(env);

        assertThat(l.bundles).isEmpty();
        assertThat(((VaultKvKeySource) source).status().lastError()).contains("cannot reach Vault at https://localhost")
                .contains("VAULT_CACERT");
    }
}
