package dev.meshid.agent.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.testing.TestPki;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CA channel's trust: the CA root file's roots united with the CA bundle's, swapped as a whole. */
class ReloadingTrustTest {
    private final TestPki.Issued rootA = TestPki.root("Root A").build();
    private final TestPki.Issued rootB = TestPki.root("Root B").build();
    private final TestPki.Issued servingFromB = rootB.intermediate("Int B").build()
            .svid("spiffe://cluster.local/ns/istio-system/sa/meshid-ca").dnsSans("istiod.istio-system.svc").build();

    private static X509Certificate[] chain(TestPki.Issued leaf) {
        return leaf.chainWithoutRoot().toArray(X509Certificate[]::new);
    }

    @Test
    void checkServerTrusted_caMovedToTheNewRoot_isTrustedOnceTheBundleBringsIt() throws Exception {
        ReloadingTrust trust = new ReloadingTrust();
        trust.fileRoots(List.of(rootA.cert()));
        assertThatThrownBy(() -> trust.checkServerTrusted(chain(servingFromB), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);

        trust.bundleRoots(List.of(rootA.cert(), rootB.cert()));

        trust.checkServerTrusted(chain(servingFromB), "ECDHE_ECDSA");
        assertThat(trust.roots()).containsExactly(rootA.cert(), rootB.cert());
        assertThat(trust.getAcceptedIssuers()).containsExactly(rootA.cert(), rootB.cert());
    }

    @Test
    void roots_bundleWithoutTheFileRoot_keepsTheFileRoot() throws Exception {
        ReloadingTrust trust = new ReloadingTrust();
        trust.fileRoots(List.of(rootA.cert()));
        trust.bundleRoots(List.of(rootB.cert()));

        assertThat(trust.roots()).containsExactly(rootA.cert(), rootB.cert());
    }

    @Test
    void checkServerTrusted_noRootsAtAll_saysWhatToSet() {
        assertThatThrownBy(() -> new ReloadingTrust().checkServerTrusted(chain(servingFromB), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("--ca-root");
    }
}
