package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.RecordingListener;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import dev.meshid.pki.testing.TestPki;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through each mode: Vault (the test double, driven by the real driver) delivers the signing CA, a
 * workload certificate is issued with it exactly as the CA issues SVIDs, and the real {@code openssl verify}
 * accepts the chain against the root that only Vault holds.
 */
class VaultEndToEndTest {
    private final FakeClock clock = FakeClock.startingNow();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private KeySource source;

    @BeforeEach
    void startVault() throws Exception {
        vault = VaultTestDouble.http(clock);
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        vault.close();
    }

    private KeyCertBundle deliver(VaultOptions options, String... policy) {
        source = VaultKeySources.from(options, Map.of("VAULT_TOKEN", vault.addToken(Duration.ZERO, false, policy)),
                clock, scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        assertThat(l.rejections).isEmpty();
        return l.last();
    }

    private void assertWorkloadVerifiesWithOpenssl(KeyCertBundle b, X509Certificate vaultRoot) throws Exception {
        X509Certificate leaf = new CertificateIssuer(clock, new SecureRandom()).svid(
                SvidSpec.of(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web"), Duration.ofHours(1)),
                Keys.generate(KeyAlgorithm.EC_P256).getPublic(), b.signer());
        OpenSsl.Result r = OpenSsl.verify(vaultRoot, b.responseChainWithoutRoots(), leaf, OpenSsl.atTime(clock.instant()));
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("OK");
    }

    @Test
    void kvMode_workloadCertificate_verifiesAgainstTheRootStoredInVault() throws Exception {
        TestPki.Issued root = TestPki.root("vault kv root").at(clock).build();
        TestPki.Issued ca = root.intermediate("meshid CA in vault kv").build();
        vault.mountKv("secret", 2);
        vault.putKv("secret/meshid/cacerts", new KeyCertBundle(ca.signer(), ca.intermediates(),
                new dev.meshid.pki.bundle.TrustBundle(java.util.List.of(root.cert()))).toPluginFiles());

        KeyCertBundle b = deliver(VaultOptions.builder().address(URI.create(vault.address()))
                .kvPath("secret/meshid/cacerts").build(), "secret/data/meshid/cacerts");

        assertWorkloadVerifiesWithOpenssl(b, root.cert());
    }

    @Test
    void pkiMode_workloadCertificate_verifiesAgainstVaultsPkiRoot() throws Exception {
        TestPki.Issued root = vault.mountPki("pki", "root");

        KeyCertBundle b = deliver(VaultOptions.builder().address(URI.create(vault.address())).pkiMount("pki")
                .intermediateTtl(Duration.ofHours(72)).maxWorkloadTtl(Duration.ofHours(24)).build(),
                "pki/root/sign-intermediate");

        assertThat(b.roots().roots()).containsExactly(root.cert());
        assertWorkloadVerifiesWithOpenssl(b, root.cert());
    }
}
