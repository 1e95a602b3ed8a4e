package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.OpenSsl;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** What istio-agent checks of a response, and what openssl says of the chain. */
final class ChainChecks {
    private ChainChecks() {
    }

    /** Returns the leaf after checking shape, identity, and {@code openssl verify -x509_strict}. */
    static X509Certificate check(List<String> chain, List<X509Certificate> expectedRoots, SpiffeId expectedId)
            throws Exception {
        assertThat(chain).as("cert_chain has the leaf and the root bundle at least").hasSizeGreaterThanOrEqualTo(2);
        List<X509Certificate> roots = Pem.readCertificates(chain.get(chain.size() - 1));
        assertThat(roots).as("the last element is the whole root bundle").containsExactlyElementsOf(expectedRoots);
        X509Certificate leaf = single(chain.get(0));
        List<X509Certificate> intermediates = new ArrayList<>();
        for (String element : chain.subList(1, chain.size() - 1)) {
            intermediates.add(single(element));
        }
        for (X509Certificate c : intermediates) {
            assertThat(roots).as("a root appears only in the last element").doesNotContain(c);
        }
        assertThat(SvidInfo.requireSpiffeId(leaf)).isEqualTo(expectedId);
        OpenSsl.Result verify = OpenSsl.verify(roots, intermediates, leaf, "-purpose", "sslclient");
        assertThat(verify.ok()).as("openssl verify: %s", verify.output()).isTrue();
        OpenSsl.Result server = OpenSsl.verify(roots, intermediates, leaf, "-purpose", "sslserver");
        assertThat(server.ok()).as("openssl verify sslserver: %s", server.output()).isTrue();
        return leaf;
    }

    private static X509Certificate single(String pem) throws Exception {
        List<X509Certificate> certs = Pem.readCertificates(pem);
        assertThat(certs).as("each element before the last holds one certificate").hasSize(1);
        return certs.get(0);
    }
}
