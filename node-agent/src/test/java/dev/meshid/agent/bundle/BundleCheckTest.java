package dev.meshid.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.testing.Certs;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleCheckTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web");
    private final Clock clock = Clock.systemUTC();
    private final TestPki.Issued rootA = TestPki.root("Root A").build();
    private final TestPki.Issued rootB = TestPki.root("Root B").build();
    private final IssuedCertificate fromA = Certs.issue(rootA.intermediate("Int A").build(), ID, Duration.ofHours(1),
            clock);

    private static TrustBundle message(String version, TestPki.Issued... roots) {
        TrustBundle.Builder b = TrustBundle.newBuilder().setVersion(version);
        for (TestPki.Issued r : roots) {
            b.addRootsPem(Pem.write(r.cert()));
        }
        return b.build();
    }

    @Test
    void check_bothRootsWithTheCurrentOne_isAccepted() throws Exception {
        AppliedBundle applied = BundleCheck.check(message("v2", rootA, rootB), Optional.of(fromA));

        assertThat(applied.version()).isEqualTo("v2");
        assertThat(applied.certificates()).containsExactly(rootA.cert(), rootB.cert());
    }

    @Test
    void check_withoutTheRootOfTheCurrentCertificate_isRefusedSayingWhy() {
        assertThatThrownBy(() -> BundleCheck.check(message("v3", rootB), Optional.of(fromA)))
                .isInstanceOf(BundleRejected.class)
                .hasMessageContaining("does not hold the root that issued this agent's current certificate")
                .hasMessageContaining(fromA.serialHex());
    }

    @Test
    void check_beforeAnyCertificate_acceptsAnyValidRootSet() throws Exception {
        assertThat(BundleCheck.check(message("v1", rootB), Optional.empty()).certificates())
                .containsExactly(rootB.cert());
    }

    @Test
    void check_anIntermediateInsteadOfARoot_isRefused() {
        TestPki.Issued intermediate = rootA.intermediate("Not a root").build();
        assertThatThrownBy(() -> BundleCheck.check(message("v4", rootA, intermediate), Optional.of(fromA)))
                .isInstanceOf(BundleRejected.class).hasMessageContaining("is not self-signed");
    }

    @Test
    void check_emptyOrGarbage_isRefused() {
        assertThatThrownBy(() -> BundleCheck.check(message("v5"), Optional.of(fromA)))
                .isInstanceOf(BundleRejected.class).hasMessageContaining("holds no root");
        TrustBundle garbage = TrustBundle.newBuilder().setVersion("v6").addRootsPem("not pem").build();
        assertThatThrownBy(() -> BundleCheck.check(garbage, Optional.of(fromA)))
                .isInstanceOf(BundleRejected.class).hasMessageContaining("roots_pem[0]");
    }

    @Test
    void check_twoCertificatesInOneElement_isRefused() {
        TrustBundle two = TrustBundle.newBuilder().setVersion("v7")
                .addRootsPem(Pem.write(rootA.cert()) + Pem.write(rootB.cert())).build();
        assertThatThrownBy(() -> BundleCheck.check(two, Optional.of(fromA)))
                .isInstanceOf(BundleRejected.class).hasMessageContaining("holds 2 certificates");
    }
}
