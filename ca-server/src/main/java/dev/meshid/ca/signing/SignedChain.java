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
 * appears twice (Istio bug #39001), and the response always has at least two elements. The part after the leaf
 * is a {@link ChainTail}, shared by every certificate of one signing bundle.
 *
 * @param leaf the issued X509-SVID
 * @param tail the intermediates and roots, checked and encoded once per bundle
 */
public record SignedChain(X509Certificate leaf, ChainTail tail) {

    public SignedChain {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(tail, "tail");
        if (tail.isRoot(leaf)) {
            throw new IllegalArgumentException("the leaf " + Certs.describe(leaf) + " is a root of the bundle");
        }
    }

    /**
     * @param intermediates the certificates between the leaf and a root, leaf side first (the signing CA first,
     *     unless it is itself a root); may be empty
     * @param roots the trust bundle
     */
    public SignedChain(X509Certificate leaf, List<X509Certificate> intermediates, TrustBundle roots) {
        this(leaf, ChainTail.of(intermediates, roots));
    }

    public List<X509Certificate> intermediates() {
        return tail.intermediates();
    }

    public TrustBundle roots() {
        return tail.roots();
    }

    /** The response's {@code cert_chain}: leaf, each intermediate, then the whole root bundle as one PEM element. */
    public List<String> certChain() {
        List<String> rest = tail.pems();
        List<String> out = new ArrayList<>(rest.size() + 1);
        out.add(Pem.write(leaf));
        out.addAll(rest);
        return out;
    }

    /** The leaf followed by the intermediates (what a TLS server presents). */
    public List<X509Certificate> leafAndIntermediates() {
        List<X509Certificate> out = new ArrayList<>(tail.intermediates().size() + 1);
        out.add(leaf);
        out.addAll(tail.intermediates());
        return out;
    }
}
