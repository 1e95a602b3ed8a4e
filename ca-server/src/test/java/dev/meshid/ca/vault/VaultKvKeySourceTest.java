package dev.meshid.ca.vault;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.KeySourceContractTest;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.TestCas;
import dev.meshid.pki.testing.FakeClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The key-source contract for the KV mode, against the Vault test double on KV v2, driven by the real driver. */
class VaultKvKeySourceTest extends KeySourceContractTest {
    static final String PATH = "secret/meshid/cacerts";

    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private String token;
    private Map<String, String> stored;

    @BeforeEach
    void startVault() throws Exception {
        vault = VaultTestDouble.http(clock);
        vault.mountKv("secret", 2);
        token = vault.addToken(Duration.ZERO, false, "secret/data/meshid/cacerts", "secret/metadata/meshid/cacerts");
        write(TestCas.pluginCa(clock, "first").toPluginFiles());
    }

    @AfterEach
    void stopVault() {
        vault.close();
    }

    private void write(Map<String, String> files) {
        stored = files;
        vault.putKv(PATH, files);
    }

    @Override
    protected KeySource newSource() {
        VaultOptions o = VaultOptions.builder().address(URI.create(vault.address())).kvPath(PATH).build();
        return VaultKeySources.from(o, Map.of("VAULT_TOKEN", token), clock, scheduler);
    }

    @Override
    protected void changeToValid() {
        write(TestCas.pluginCa(clock, "second").toPluginFiles());
    }

    @Override
    protected void touchUnchanged() {
        write(stored);
    }

    @Override
    protected void changeToInvalid() {
        write(TestCas.withForeignKey(stored));
    }

    @Override
    protected String expectedRejection() {
        return "ca-key.pem does not match ca-cert.pem";
    }

    @Override
    protected void refresh() {
        scheduler.advance(VaultOptions.DEFAULT_REFRESH);
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected String expectedNameFragment() {
        return "vault-kv:" + vault.address() + "/" + PATH;
    }
}
