package dev.meshid.pki.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.testing.TestPki;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CaSignerTest {
    private final TestPki.Issued root = TestPki.root("Root CA").build();

    @Test
    void constructor_leafCertificate_isRefusedAsNotACa() {
        TestPki.Issued leaf = root.svid("spiffe://cluster.local/ns/a/sa/b").build();

        assertThatThrownBy(() -> CaSigner.of(leaf.cert(), leaf.key()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not a CA certificate (basicConstraints cA=false)");
    }

    @Test
    void constructor_keyOfAnotherCa_isRefused() {
        TestPki.Issued other = TestPki.root("Other CA").build();

        assertThatThrownBy(() -> new CaSigner(root.cert(), other.key()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match").hasMessageContaining("CN=Root CA");
    }

    @Test
    void toString_showsSubjectButNeverTheKey() {
        CaSigner signer = root.signer();
        String keyB64 = Base64.getEncoder().encodeToString(root.key().getEncoded());

        assertThat(signer.toString()).contains("CN=Root CA").contains("not shown")
                .doesNotContain(keyB64.substring(keyB64.length() - 40)).doesNotContain(root.key().toString());
        assertThat(signer.notAfter()).isEqualTo(root.cert().getNotAfter().toInstant());
    }
}
