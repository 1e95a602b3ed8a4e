package dev.meshid.ca.signing;

import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every response of one signing bundle carries after the leaf: the intermediates and the root bundle, checked
 * and PEM-encoded once when the bundle is loaded rather than for every certificate. Checked when constructed: no
 * intermediate is one of the roots, so the root never appears twice (Istio bug #39001).
 */
public final class ChainTail {
    private final List<X509Certificate> intermediates;
    private final TrustBundle roots;
    private final List<String> pems;

    private ChainTail(List<X509Certificate> intermediates, TrustBundle roots) {
        this.intermediates = List.copyOf(intermediates);
        this.roots = Objects.requireNonNull(roots, "roots");
        for (X509Certificate c : this.intermediates) {
            if (isRoot(c)) {
                throw new IllegalArgumentException("intermediate " + Certs.describe(c) + " is a root of the bundle; "
                        + "roots go only into the last element");
            }
        }
        List<String> out = new ArrayList<>(this.intermediates.size() + 1);
        for (X509Certificate c : this.intermediates) {
            out.add(Pem.write(c));
        }
        out.add(roots.toPem());
        this.pems = List.copyOf(out);
    }

    /** @throws IllegalArgumentException if an intermediate is one of the roots */
    public static ChainTail of(List<X509Certificate> intermediates, TrustBundle roots) {
        return new ChainTail(intermediates, roots);
    }

    public List<X509Certificate> intermediates() {
        return intermediates;
    }

    public TrustBundle roots() {
        return roots;
    }

    /** The PEM elements after the leaf: each intermediate, then all roots as one element. */
    List<String> pems() {
        return pems;
    }

    /** Whether this exact certificate (same DER, as {@link X509Certificate#equals} compares) is a root. */
    boolean isRoot(X509Certificate cert) {
        for (X509Certificate r : roots.roots()) {
            if (r.equals(cert)) {
                return true;
            }
        }
        return false;
    }
}
