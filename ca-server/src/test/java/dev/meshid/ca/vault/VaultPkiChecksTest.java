package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.RecordingListener;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.TestPki;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the PKI source accepts from Vault's sign-intermediate, what it refuses and how it rotates. */
class VaultPkiChecksTest {
    private final FakeClock clock = FakeClock.at("2025-03-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultTestDouble vault;
    private TestPki.Issued root;
    private KeySource source;

    @BeforeEach
    void startVault() throws Exception {
        vault = VaultTestDouble.http(clock);
        root = vault.mountPki("pki", "root-a");
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        vault.close();
    }

    private RecordingListener start(VaultOptions.Builder options, String... policy) {
        String token = vault.addToken(Duration.ZERO, false, policy.length == 0
                ? new String[] {"pki/root/sign-intermediate"} : policy);
        source = VaultKeySources.from(options.build(), Map.of("VAULT_TOKEN", token), clock, scheduler);
        RecordingListener l = new RecordingListener();
        source.start(l);
        scheduler.runDue();
        return l;
    }

    private VaultSourceStatus status() {
        return ((VaultPkiKeySource) source).status();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "NOT_A_CA         | is not a CA certificate (basicConstraints cA=false)",
        "NO_CERT_SIGN     | without keyCertSign in its keyUsage",
        "SERVER_AUTH_ONLY | restricts extendedKeyUsage to [1.3.6.1.5.5.7.3.1]",
        "SHORT_LIVED      | less than the maximum workload TTL PT24H",
        "FOREIGN_ROOT     | does not chain to a root of Vault's CA chain"})
    void badIntermediate_isRefusedWithItsReason_staysNotReady_andIsNotReportedTwice(VaultDoublePki.Mode mode,
            String reason) {
        vault.signMode = mode;
        RecordingListener l = start(VaultPkiKeySourceTest.options(vault));
        scheduler.advance(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(2));

        assertThat(l.bundles).isEmpty();
        assertThat(l.rejections).singleElement().asString().startsWith(source.name()).contains(reason);
        assertThat(status().ready()).isFalse();
        assertThat(vault.count("POST", "/v1/pki/root/sign-intermediate")).isEqualTo(3);

        vault.signMode = VaultDoublePki.Mode.NORMAL;
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(l.bundles).hasSize(1);
        assertThat(status().ready()).isTrue();
    }

    @Test
    void intermediateWithoutUriSan_isAccepted() throws Exception {
        vault.signMode = VaultDoublePki.Mode.IGNORE_CSR_VALUES;
        RecordingListener l = start(VaultPkiKeySourceTest.options(vault));

        assertThat(l.rejections).isEmpty();
        assertThat(l.last().signer().certificate().getSubjectAlternativeNames()).isNull();
        assertThat(l.last().root()).isEqualTo(root.cert());
    }

    @Test
    void csr_carriesTheTrustDomainUriSan_andTheKeyNeverLeaves() throws Exception {
        RecordingListener l = start(VaultPkiKeySourceTest.options(vault));

        assertThat(l.last().signer().certificate().getSubjectAlternativeNames())
                .anyMatch(san -> san.get(1).equals("spiffe://cluster.local"));
        VaultTestDouble.Request sign = vault.requests.stream().filter(r -> r.path().endsWith("sign-intermediate"))
                .findFirst().orElseThrow();
        assertThat(sign.body()).contains("\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----")
                .contains("\"use_csr_values\":true").contains("\"ttl\":\"172800s\"").doesNotContain("PRIVATE KEY");
    }

    @Test
    void selectedIssuer_signs_andNoPathIsRewrittenAsKv() {
        TestPki.Issued second = vault.addIssuer("pki", "root-b");
        RecordingListener l = start(VaultPkiKeySourceTest.options(vault).pkiIssuer("root-b"),
                "pki/issuer/root-b/sign-intermediate");

        assertThat(l.rejections).isEmpty();
        assertThat(Certs.issuedBy(l.last().signer().certificate(), second.cert())).isTrue();
        assertThat(l.last().roots().contains(second.cert())).isTrue();
        assertThat(l.last().roots().contains(root.cert())).isTrue();
        assertThat(vault.paths()).contains("POST /v1/pki/issuer/root-b/sign-intermediate", "GET /v1/pki/ca_chain")
                .noneMatch(p -> p.contains("/data/"));
    }

    @Test
    void missingPolicy_isPermissionDenied_andWrongMountNotFound() {
        RecordingListener l = start(VaultPkiKeySourceTest.options(vault), "pki/issue/*");
        assertThat(l.rejections).singleElement().asString()
                .contains("permission denied (HTTP 403 on pki/root/sign-intermediate)");
        source.close();

        RecordingListener wrong = start(VaultPkiKeySourceTest.options(vault).pkiMount("pki-typo"), "pki-typo/*");
        assertThat(wrong.rejections).singleElement().asString().contains("nothing at pki-typo/ca_chain (HTTP 404)");
    }

    @Test
    void rotation_preparesAtHalfLife_publishesANewRoot_andSwitchesAtASixthLeft() {
        RecordingListener l = start(VaultPkiKeySourceTest.options(vault));
        IntermediateRotation first = IntermediateRotation.of(l.last().signer().certificate());
        TestPki.Issued newRoot = vault.addIssuer("pki", "root-2026");
        vault.pkiMounts.put("pki", new VaultTestDouble.PkiMount(vault.pkiMounts.get("pki").issuers(), "root-2026"));

        // The mount's new default root is published at the next refresh, long before it signs anything.
        clock.setInstant(first.prepareAt().minusSeconds(60));
        scheduler.runDue();
        assertThat(vault.count("POST", "/v1/pki/root/sign-intermediate")).isEqualTo(1);
        assertThat(l.bundles).hasSize(2);
        assertThat(l.last().signer().certificate()).isEqualTo(l.bundles.get(0).signer().certificate());
        assertThat(l.last().roots().contains(newRoot.cert())).isTrue();
        // Half the life left: the next intermediate is signed (by the new root) but not used yet.
        scheduler.advance(Duration.ofSeconds(61));
        assertThat(vault.count("POST", "/v1/pki/root/sign-intermediate")).isEqualTo(2);
        assertThat(l.bundles).hasSize(2);

        clock.setInstant(first.switchAt().minusSeconds(1));
        scheduler.runDue();
        assertThat(l.bundles).hasSize(2);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(l.bundles).hasSize(3);
        assertThat(Certs.issuedBy(l.last().signer().certificate(), newRoot.cert())).isTrue();
        assertThat(l.last().roots().contains(root.cert())).as("old root kept while old leaves live").isTrue();
        assertThat(vault.count("POST", "/v1/pki/root/sign-intermediate")).isEqualTo(2);
    }
}
