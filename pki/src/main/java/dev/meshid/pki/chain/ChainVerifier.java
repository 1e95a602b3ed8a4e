package dev.meshid.pki.chain;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.crypto.CryptoProvider;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a certificate chain against a set of trusted roots at a given instant.
 *
 * <p>The chain is leaf first; it may end with the root itself (as many servers send it), which is then
 * dropped if it is one of the trusted roots and refused if it is not. The JDK's PKIX validator (revocation
 * off, signatures through {@link CryptoProvider}) does the work: validity, signatures, basic constraints,
 * key usage, path length, name constraints; the root's own validity is checked as well, which PKIX skips.
 * When PKIX refuses a chain, the verifier re-checks validity periods, name chaining and signatures itself,
 * so that the usual failures get a message naming the certificate at fault; the happy path verifies each
 * signature once.
 */
public final class ChainVerifier {
    private ChainVerifier() {
    }

    /**
     * Verifies {@code chainLeafFirst} against {@code roots} at {@code at}.
     *
     * @throws PkiException naming the certificate and the rule it broke: expired or not yet valid (with the
     *     dates), an issuer not found among the roots, a signature that does not verify, a non-CA issuer, a
     *     path too long, a name-constraint violation, ...
     */
    public static VerifiedChain verify(List<X509Certificate> chainLeafFirst, Collection<X509Certificate> roots,
            Instant at) throws PkiException {
        if (chainLeafFirst == null || chainLeafFirst.isEmpty()) {
            throw new PkiException("the certificate chain is empty; expected the leaf certificate first");
        }
        if (roots == null || roots.isEmpty()) {
            throw new PkiException("the trust bundle is empty; there is no root to verify the chain against");
        }
        List<X509Certificate> certs = new ArrayList<>(chainLeafFirst);
        stripTrailingRoot(certs, roots);
        X509Certificate root;
        try {
            root = pkix(certs, roots, at);
        } catch (CertPathValidatorException e) {
            diagnose(certs, roots, at);
            int i = e.getIndex();
            String where = i >= 0 && i < certs.size()
                    ? "the " + role(i) + " certificate " + Certs.describe(certs.get(i)) : "the chain";
            throw new PkiException("PKIX validation failed at " + where + ": " + explain(e.getReason())
                    + " (" + e.getMessage() + ")", e);
        }
        // PKIX treats a trust anchor as a bare key; an expired root is still refused here.
        checkValidity(root, "root", at);
        return new VerifiedChain(certs.get(0), certs.subList(1, certs.size()), root,
                SvidInfo.spiffeIdOf(certs.get(0)));
    }

    /**
     * Runs only after PKIX refused the chain: finds the common failures itself, in chain order, and throws a
     * message naming the certificate at fault. Returns if it finds none (PKIX's reason is used then).
     */
    private static void diagnose(List<X509Certificate> certs, Collection<X509Certificate> roots, Instant at)
            throws PkiException {
        for (int i = 0; i < certs.size(); i++) {
            checkValidity(certs.get(i), role(i), at);
        }
        for (int i = 0; i + 1 < certs.size(); i++) {
            checkLink(certs.get(i), role(i), certs.get(i + 1), role(i + 1));
        }
        int lastIndex = certs.size() - 1;
        findRoot(certs.get(lastIndex), role(lastIndex), roots);
    }

    private static void stripTrailingRoot(List<X509Certificate> certs, Collection<X509Certificate> roots)
            throws PkiException {
        X509Certificate last = certs.get(certs.size() - 1);
        if (certs.size() < 2) {
            return;
        }
        if (roots.contains(last)) {
            certs.remove(certs.size() - 1);
            return;
        }
        if (Certs.isSelfSigned(last)) {
            throw new PkiException("the chain ends with the self-signed certificate " + Certs.describe(last)
                    + ", which is not one of the trusted roots " + names(roots));
        }
    }

    private static void checkValidity(X509Certificate c, String role, Instant at) throws PkiException {
        Instant notAfter = c.getNotAfter().toInstant();
        Instant notBefore = c.getNotBefore().toInstant();
        if (at.isAfter(notAfter)) {
            throw new PkiException("the " + role + " certificate " + Certs.describe(c) + " expired at " + notAfter
                    + " (checked at " + at + ")");
        }
        if (at.isBefore(notBefore)) {
            throw new PkiException("the " + role + " certificate " + Certs.describe(c) + " is not yet valid: NotBefore "
                    + notBefore + " (checked at " + at + "); check the clocks of both machines");
        }
    }

    private static void checkLink(X509Certificate c, String role, X509Certificate next, String nextRole)
            throws PkiException {
        if (!c.getIssuerX500Principal().equals(next.getSubjectX500Principal())) {
            throw new PkiException("the " + role + " certificate " + Certs.describe(c) + " was issued by \""
                    + c.getIssuerX500Principal().getName() + "\", but the next certificate in the chain is "
                    + Certs.describe(next) + "; the chain is out of order or an intermediate is missing");
        }
        if (!Certs.signedBy(c, next)) {
            throw new PkiException("the signature of the " + role + " certificate " + Certs.describe(c)
                    + " does not verify with the public key of the " + nextRole + " certificate "
                    + Certs.describe(next));
        }
    }

    private static X509Certificate findRoot(X509Certificate last, String role, Collection<X509Certificate> roots)
            throws PkiException {
        List<X509Certificate> named = roots.stream()
                .filter(r -> r.getSubjectX500Principal().equals(last.getIssuerX500Principal())).toList();
        if (named.isEmpty()) {
            throw new PkiException("the chain does not chain to any root in the bundle: the issuer \""
                    + last.getIssuerX500Principal().getName() + "\" of the " + role + " certificate "
                    + Certs.describe(last) + " is not among the roots " + names(roots)
                    + (role.equals("leaf") ? "; if it is an intermediate CA, send it after the leaf" : ""));
        }
        return named.stream().filter(r -> Certs.signedBy(last, r)).findFirst()
                .orElseThrow(() -> new PkiException("the signature of the " + role + " certificate "
                        + Certs.describe(last) + " does not verify with the public key of any root named \""
                        + last.getIssuerX500Principal().getName() + "\" in the bundle (same name, different key)"));
    }

    /** PKIX validation; returns the root used. */
    private static X509Certificate pkix(List<X509Certificate> certs, Collection<X509Certificate> roots, Instant at)
            throws PkiException, CertPathValidatorException {
        CertPath path;
        PKIXParameters params;
        try {
            path = CertificateFactory.getInstance("X.509").generateCertPath(certs);
            Set<TrustAnchor> anchors = new HashSet<>();
            roots.forEach(r -> anchors.add(new TrustAnchor(r, null)));
            params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.setSigProvider(CryptoProvider.get().getName());
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot set up PKIX validation: " + e.getMessage(), e);
        }
        try {
            PKIXCertPathValidatorResult result =
                    (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(path, params);
            return result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new PkiException("PKIX validation failed: " + e.getMessage(), e);
        }
    }

    private static String explain(CertPathValidatorException.Reason reason) {
        if (reason instanceof java.security.cert.PKIXReason r) {
            return switch (r) {
                case NOT_CA_CERT -> "it signs another certificate but is not a CA (basicConstraints cA=false)";
                case PATH_TOO_LONG -> "the path is longer than a CA's basicConstraints pathLenConstraint allows";
                case INVALID_KEY_USAGE -> "its keyUsage does not allow this use (a CA needs keyCertSign)";
                case INVALID_NAME -> "a name violates an issuing CA's name constraints";
                case UNRECOGNIZED_CRIT_EXT -> "it has a critical extension that is not understood";
                case NAME_CHAINING -> "its issuer name does not match the next certificate's subject";
                case NO_TRUST_ANCHOR -> "no trusted root found";
                case INVALID_POLICY -> "certificate policy check failed";
            };
        }
        if (reason instanceof CertPathValidatorException.BasicReason r) {
            return switch (r) {
                case EXPIRED -> "expired";
                case NOT_YET_VALID -> "not yet valid";
                case INVALID_SIGNATURE -> "the signature does not verify";
                case ALGORITHM_CONSTRAINED -> "its key or signature algorithm is not allowed (too weak)";
                default -> r.toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            };
        }
        return String.valueOf(reason);
    }

    private static String role(int index) {
        return index == 0 ? "leaf" : "intermediate #" + index;
    }

    private static String names(Collection<X509Certificate> roots) {
        return roots.stream().map(r -> "\"" + Certs.subject(r) + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
