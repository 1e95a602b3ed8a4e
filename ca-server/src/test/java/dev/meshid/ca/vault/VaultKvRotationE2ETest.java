package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshid.ca.config.Setting;
import dev.meshid.ca.rotate.RotationRefused;
import dev.meshid.ca.rotate.RotationSteps;
import dev.meshid.ca.rotation.RotationReport;
import dev.meshid.ca.rotation.RotationStep;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.testing.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three rotation steps with the material written to Vault KV (the operator's {@code vault kv put}, here the
 * same {@link RotationSteps} {@code meshid ca rotate} runs): the CA follows each new version and reports each
 * step; leaves verify (openssl) against the old root before the switch and the new root after it.
 */
class VaultKvRotationE2ETest {
    static final String KV = "secret/meshid/cacerts";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
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

    private RotationReport report() {
        return ca.server.rotation().report().orElseThrow();
    }

    @Test
    void threeStepsThroughVaultKv_caFollowsEachAndReportsTheStep() throws Exception {
        vault = VaultTestDouble.http(Clock.systemUTC());
        vault.mountKv("secret", 2);
        TestPki.Issued oldRoot = TestPki.root("kv old root").validFor(Duration.ofDays(365)).build();
        TestPki.Issued oldCa = oldRoot.intermediate("kv old CA").validFor(Duration.ofDays(180)).build();
        TestPki.Issued newRoot = TestPki.root("kv new root").validFor(Duration.ofDays(730)).build();
        TestPki.Issued newCa = newRoot.intermediate("kv new CA").validFor(Duration.ofDays(180)).build();
        Map<String, String> files = new KeyCertBundle(oldCa.signer(), List.of(), new TrustBundle(List.of(oldRoot.cert())))
                .toPluginFiles();
        vault.putKv(KV, files);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.VAULT_ADDR, vault.address());
        flags.put(Setting.VAULT_KV_PATH, KV);
        flags.put(Setting.VAULT_REFRESH, "300ms");
        ca = new VaultCa(dir, flags, Map.of("VAULT_TOKEN", vault.addToken(Duration.ZERO, false,
                "secret/data/meshid/cacerts")));
        await().atMost(WAIT).until(() -> ca.server.signer().ready());
        assertThat(report().state().step()).isEqualTo(RotationStep.NONE);
        VaultCa.verifyWithOpenssl(ca.issue(oldRoot.cert()), oldRoot.cert());

        Map<String, String> added = RotationSteps.addRoot(files, newRoot.cert(), Instant.now());
        vault.putKv(KV, added);
        await().atMost(WAIT).until(() -> report().state().step() == RotationStep.NEW_ROOT_ADDED);
        assertThat(report().state().roots()).hasSize(2);

        Map<String, String> newDir = new HashMap<>(new KeyCertBundle(newCa.signer(), List.of(),
                new TrustBundle(List.of(newRoot.cert()))).toPluginFiles());
        newDir.remove("root-cert.pem");
        Map<String, String> switched = RotationSteps.switchSigner(added, newDir, java.util.Optional.of(report()),
                false, Instant.now(), w -> { });
        vault.putKv(KV, switched);
        await().atMost(WAIT).until(() -> report().state().step() == RotationStep.SIGNER_SWITCHED);
        List<String> chain = ca.issue(oldRoot.cert());
        assertThat(dev.meshid.pki.pem.Pem.readCertificates(chain.get(chain.size() - 1)))
                .containsExactlyInAnyOrder(oldRoot.cert(), newRoot.cert());
        dev.meshid.pki.testing.OpenSsl.Result verify = dev.meshid.pki.testing.OpenSsl.verify(newRoot.cert(),
                List.of(newCa.cert()), dev.meshid.pki.pem.Pem.readCertificate(chain.get(0)));
        assertThat(verify.ok()).as(verify.output()).isTrue();

        RotationReport afterSwitch = report();
        Instant safe = afterSwitch.state().safeToRemoveAt().orElseThrow();
        String oldFp = Certs.fingerprint(oldRoot.cert());
        assertThatThrownBy(() -> RotationSteps.removeRoot(switched, oldFp, java.util.Optional.of(afterSwitch),
                Instant.now())).isInstanceOf(RotationRefused.class).hasMessageContaining("retry after " + safe);
        Map<String, String> removed = RotationSteps.removeRoot(switched, oldFp, java.util.Optional.of(afterSwitch), safe);
        vault.putKv(KV, removed);
        await().atMost(WAIT).until(() -> report().state().step() == RotationStep.NONE);
        assertThat(report().state().roots()).singleElement().extracting(r -> r.fingerprint())
                .isEqualTo(Certs.fingerprint(newRoot.cert()));
    }
}
