package dev.meshid.ca.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.ca.CaException;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.pem.Pem;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IssuancePolicyTest {
    private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
    private final IssuancePolicy policy = new IssuancePolicy(IssuanceOptions.defaults(TrustDomain.parse("cluster.local")));

    private static String csr(KeyPair kp, SpiffeId id, String subject, String... dns) throws Exception {
        CsrBuilder b = CsrBuilder.forKeyPair(kp, id).subject(subject);
        for (String d : dns) {
            b.dnsSan(d);
        }
        return Pem.write(b.build());
    }

    @Test
    void decide_ownIdentityEcP256_specForCallerWithDefaultTtlAndBackdate() throws Exception {
        KeyPair kp = Keys.generate(KeyAlgorithm.EC_P256);

        IssuanceDecision d = policy.decide(new IssuanceRequest(WEB, csr(kp, WEB, "O=cluster.local"), 0));

        assertThat(d.spec().id()).isEqualTo(WEB);
        assertThat(d.spec().ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(d.spec().backdate()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.spec().subjectDn()).as("the CSR's subject is ignored").isNull();
        assertThat(d.publicKey()).isEqualTo(kp.getPublic());
        assertThat(d.keyType()).isEqualTo("EC P-256");
    }

    @Test
    void decide_rsa3072_reportsKeyType() throws Exception {
        IssuanceDecision d = policy.decide(new IssuanceRequest(WEB, csr(Keys.generate(KeyAlgorithm.RSA_3072), WEB, ""), 60));

        assertThat(d.keyType()).isEqualTo("RSA 3072");
        assertThat(d.spec().ttl()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void ttl_exactlyMax_isAcceptedAndOneSecondMoreRefused() throws Exception {
        long max = Duration.ofHours(2160).toSeconds();

        assertThat(policy.ttl(max)).isEqualTo(Duration.ofHours(2160));
        assertThatThrownBy(() -> policy.ttl(max + 1)).isInstanceOfSatisfying(CaException.class,
                e -> assertThat(e.kind()).isEqualTo(CaException.Kind.INVALID_TTL));
    }

    @Test
    void decide_dnsSanWhenAllowed_isCopiedIntoTheSpec() throws Exception {
        IssuancePolicy lenient = new IssuancePolicy(IssuanceOptions.defaults(TrustDomain.parse("cluster.local"))
                .withDnsSans(true));

        IssuanceDecision d = lenient.decide(new IssuanceRequest(WEB, csr(Keys.generate(KeyAlgorithm.EC_P256), WEB, "",
                "web.default.svc"), 0));

        assertThat(d.spec().dnsSans()).containsExactly("web.default.svc");
    }

    @Test
    void decide_dnsSanByDefault_isRefusedNamingTheSan() throws Exception {
        String pem = csr(Keys.generate(KeyAlgorithm.EC_P256), WEB, "", "web.default.svc");

        assertThatThrownBy(() -> policy.decide(new IssuanceRequest(WEB, pem, 0)))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.kind()).isEqualTo(CaException.Kind.INVALID_CSR))
                .hasMessageContaining("web.default.svc");
    }

    @Test
    void decide_csrForAnotherIdentity_isRefusedNamingBoth() throws Exception {
        SpiffeId other = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/db");
        String pem = csr(Keys.generate(KeyAlgorithm.EC_P256), other, "");

        assertThatThrownBy(() -> policy.decide(new IssuanceRequest(WEB, pem, 0)))
                .isInstanceOf(CaException.class).hasMessageContaining(other.toString()).hasMessageContaining(WEB.toString());
    }

    @Test
    void options_defaultAboveMax_isRefused() {
        assertThatThrownBy(() -> IssuanceOptions.defaults(TrustDomain.parse("cluster.local"))
                .withTtls(Duration.ofHours(48), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above the max TTL");
    }
}
