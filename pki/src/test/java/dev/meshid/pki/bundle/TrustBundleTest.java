package dev.meshid.pki.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustBundleTest {
    private final TestPki.Issued a = TestPki.root("Root A").build();
    private final TestPki.Issued b = TestPki.root("Root B").rsa().build();

    @Test
    void fromPem_twoRoots_roundTripsInOrder() throws Exception {
        TrustBundle bundle = new TrustBundle(List.of(a.cert(), b.cert()));

        assertThat(TrustBundle.fromPem(bundle.toPem()).roots()).containsExactly(a.cert(), b.cert());
    }

    @Test
    void of_duplicateRoot_isRefused() {
        assertThatThrownBy(() -> TrustBundle.of(List.of(a.cert(), b.cert(), a.cert())))
                .isInstanceOf(PkiException.class).hasMessageContaining("root #3").hasMessageContaining("same certificate as root #1");
    }

    @Test
    void of_intermediateOrLeaf_isRefused() {
        TestPki.Issued ca = a.intermediate("Intermediate CA").build();
        TestPki.Issued leaf = a.svid("spiffe://cluster.local/ns/a/sa/b").build();

        assertThatThrownBy(() -> TrustBundle.of(List.of(ca.cert()))).isInstanceOf(PkiException.class)
                .hasMessageContaining("is not self-signed");
        assertThatThrownBy(() -> TrustBundle.of(List.of(leaf.cert()))).isInstanceOf(PkiException.class)
                .hasMessageContaining("is not a CA certificate");
    }

    @Test
    void of_empty_isRefused() {
        assertThatThrownBy(() -> TrustBundle.of(List.of())).isInstanceOf(PkiException.class).hasMessageContaining("empty");
    }

    @Test
    void mergeWithoutContains_behaveAsSets() {
        TrustBundle onlyA = new TrustBundle(List.of(a.cert()));
        TrustBundle both = onlyA.merge(new TrustBundle(List.of(b.cert(), a.cert())));

        assertThat(both.roots()).containsExactly(a.cert(), b.cert());
        assertThat(both.contains(b.cert())).isTrue();
        assertThat(both.without(a.cert()).roots()).containsExactly(b.cert());
        assertThat(onlyA.contains(b.cert())).isFalse();
        assertThatThrownBy(() -> onlyA.without(a.cert())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only root");
    }
}
