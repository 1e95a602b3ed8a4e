package dev.meshid.pki.bundle;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The roots a workload or CA trusts: non-empty, each a self-signed CA certificate, no certificate twice
 * (compared by SHA-256 fingerprint). Several roots are normal during a root rotation. Invalid input to the
 * constructor is an {@link IllegalArgumentException}; {@link #of} and {@link #fromPem} report a
 * {@link PkiException}.
 *
 * @param roots the root certificates, in the order given
 */
public record TrustBundle(List<X509Certificate> roots) {

    public TrustBundle {
        String problem = problem(roots);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        roots = List.copyOf(roots);
    }

    /** A bundle of the given roots, or an exception naming the certificate that is not acceptable. */
    public static TrustBundle of(List<X509Certificate> roots) throws PkiException {
        String problem = problem(roots);
        if (problem != null) {
            throw new PkiException(problem);
        }
        return new TrustBundle(roots);
    }

    /** A bundle from PEM text holding one or more root certificates. */
    public static TrustBundle fromPem(String pem) throws PkiException {
        return of(Pem.readCertificates(pem));
    }

    private static String problem(List<X509Certificate> roots) {
        if (roots == null || roots.isEmpty()) {
            return "the trust bundle is empty; it needs at least one root certificate";
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < roots.size(); i++) {
            X509Certificate r = roots.get(i);
            String which = "root #" + (i + 1) + " " + Certs.describe(r);
            if (r.getBasicConstraints() < 0) {
                return which + " is not a CA certificate (basicConstraints cA=false); a trust bundle holds roots only";
            }
            if (!Certs.isSelfSigned(r)) {
                return which + " is not self-signed (issuer \"" + r.getIssuerX500Principal().getName()
                        + "\"); a trust bundle holds roots only, put intermediates in the chain";
            }
            Integer earlier = seen.putIfAbsent(Certs.fingerprint(r), i + 1);
            if (earlier != null) {
                return which + " is the same certificate as root #" + earlier + "; remove the duplicate";
            }
        }
        return null;
    }

    /** The roots as a PEM bundle, in order. */
    public String toPem() {
        return Pem.write(roots);
    }

    /** Whether this exact certificate (same DER) is one of the roots. */
    public boolean contains(X509Certificate cert) {
        String fp = Certs.fingerprint(cert);
        return roots.stream().anyMatch(r -> Certs.fingerprint(r).equals(fp));
    }

    /** This bundle's roots followed by those of {@code other} that it does not already hold. */
    public TrustBundle merge(TrustBundle other) {
        List<X509Certificate> all = new ArrayList<>(roots);
        for (X509Certificate r : other.roots) {
            if (!contains(r)) {
                all.add(r);
            }
        }
        return new TrustBundle(all);
    }

    /**
     * The bundle without {@code cert} (unchanged if absent).
     *
     * @throws IllegalArgumentException if that would leave the bundle empty
     */
    public TrustBundle without(X509Certificate cert) {
        String fp = Certs.fingerprint(cert);
        List<X509Certificate> rest = roots.stream().filter(r -> !Certs.fingerprint(r).equals(fp)).toList();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("cannot remove " + Certs.describe(cert)
                    + ": it is the only root in the trust bundle");
        }
        return new TrustBundle(rest);
    }
}
