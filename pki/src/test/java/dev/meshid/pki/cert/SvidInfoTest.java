package dev.meshid.pki.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.RawCertificates;
import dev.meshid.pki.testing.TestPki;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;

class SvidInfoTest {
    private final TestPki.Issued root = TestPki.root("Root CA").build();

    private X509Certificate withUris(String... uris) {
        GeneralName[] names = new GeneralName[uris.length];
        for (int i = 0; i < uris.length; i++) {
            names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, uris[i]);
        }
        return RawCertificates.make("CN=workload", Keys.generate(KeyAlgorithm.EC_P256), root, BigInteger.TEN,
                b -> b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names)));
    }

    @Test
    void spiffeIdOf_issuedSvid_returnsItsId() {
        TestPki.Issued leaf = root.svid("spiffe://cluster.local/ns/default/sa/web").dnsSans("web.default.svc").build();

        assertThat(SvidInfo.spiffeIdOf(leaf.cert())).contains(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web"));
    }

    @Test
    void spiffeIdOf_twoUriSans_isEmptyAndRequireSaysWhy() {
        X509Certificate two = withUris("spiffe://cluster.local/ns/a/sa/b", "spiffe://cluster.local/ns/c/sa/d");

        assertThat(SvidInfo.spiffeIdOf(two)).isEmpty();
        assertThatThrownBy(() -> SvidInfo.requireSpiffeId(two)).isInstanceOf(PkiException.class)
                .hasMessageContaining("has 2 URI SANs; an X509-SVID has exactly one");
    }

    @Test
    void spiffeIdOf_nonSpiffeUriOrNoSan_isEmpty() throws Exception {
        X509Certificate https = withUris("https://example.com/x");

        assertThat(SvidInfo.spiffeIdOf(https)).isEmpty();
        assertThatThrownBy(() -> SvidInfo.requireSpiffeId(https)).hasMessageContaining("is not a SPIFFE ID");
        assertThat(SvidInfo.spiffeIdOf(root.cert())).isEmpty();
        assertThat(SvidInfo.uriSans(root.cert())).isEmpty();
    }
}
