package dev.meshid.ca.signing;

import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An issued certificate with what a client needs to use it, in the shape of the CA API's {@code cert_chain}
 * (PROTOCOLS.md §1): the leaf, then each intermediate as its own element, then ALL roots as ONE final element.
 * Checked when constructed: neither the leaf nor an intermediate is one of the roots, so the root never
 * appears twice (Istio bug #39001), and the response always has at least two elements.
 *
 * @param leaf the issued X509-SVID
 * @param intermediates the certificates between the leaf and a root, leaf side first (the signing CA first,
 *     unless it is itself a root); may be empty
 * @param roots the trust bundle
 */
public record SignedChain(X509Certificate leaf, List<X509Certificate> intermediates, TrustBundle roots) {

    public SignedChain {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(roots, "roots");
        intermediates = List.copyOf(intermediates);
        if (roots.contains(leaf)) {
            throw new IllegalArgumentException("the leaf " + Certs.describe(leaf) + " is a root of the bundle");
        }
        for (X509Certificate c : intermediates) {
            if (roots.contains(c)) {
                throw new IllegalArgumentException("intermediate " + Certs.describe(c) + " is a root of the bundle; "
                        + "roots go only into the last element");
            }
        }
    }

    /** The response's {@code cert_chain}: leaf, each intermediate, then the whole root bundle as one PEM element. */
    public List<String> certChain() {
        List<String> out = new ArrayList<>(intermediates.size() + 2);
        out.add(Pem.write(leaf));
        for (X509Certificate c : intermediates) {
            out.add(Pem.write(c));
        }
        out.add(roots.toPem());
        return out;
    }

    /** The leaf followed by the intermediates (what a TLS server presents). */
    public List<X509Certificate> leafAndIntermediates() {
        List<X509Certificate> out = new ArrayList<>(intermediates.size() + 1);
        out.add(leaf);
        out.addAll(intermediates);
        return out;
    }
}
