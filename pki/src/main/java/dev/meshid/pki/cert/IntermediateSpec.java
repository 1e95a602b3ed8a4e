package dev.meshid.pki.cert;

import dev.meshid.pki.id.TrustDomain;
import java.time.Duration;
import java.util.List;

/**
 * What goes into an intermediate (signing) CA certificate.
 *
 * @param subjectDn the subject DN, e.g. {@code O=Istio, CN=Intermediate CA}
 * @param validity requested validity from now; clamped to the issuer's NotAfter
 * @param pathLen basicConstraints pathLenConstraint, 0 (the default) means it may sign only leaves
 * @param uriSanTrustDomain if not null, the certificate carries the URI SAN {@code spiffe://<td>}
 * @param uriNameConstraints when true (needs {@code uriSanTrustDomain}), a critical nameConstraints
 *     extension permits only URI names in the trust domain: the permitted subtree is the URI host
 *     {@code <td>} (RFC 5280 URI constraints apply to the host part), so it matches
 *     {@code spiffe://<td>/...} and nothing in another trust domain
 * @param dnsSans DNS SANs of the CA itself (Istio puts {@code istiod.istio-system.svc}); may be empty
 */
public record IntermediateSpec(String subjectDn, Duration validity, int pathLen, TrustDomain uriSanTrustDomain,
        boolean uriNameConstraints, List<String> dnsSans) {

    public IntermediateSpec {
        Names.parseDn(subjectDn, "the intermediate CA");
        Validity.requirePositive(validity, "intermediate CA validity");
        if (pathLen < 0) {
            throw new IllegalArgumentException("pathLen must be 0 or more, got " + pathLen);
        }
        if (uriNameConstraints && uriSanTrustDomain == null) {
            throw new IllegalArgumentException("URI name constraints need a trust domain; set uriSanTrustDomain");
        }
        dnsSans = Names.dnsNames(dnsSans);
    }

    /** An intermediate {@code O=<org>, CN=<cn>} valid for {@code days} days, pathLen 0, no SANs. */
    public static IntermediateSpec of(String org, String cn, long days) {
        return new IntermediateSpec(Names.dn(org, cn), Duration.ofDays(days), 0, null, false, List.of());
    }

    public IntermediateSpec withPathLen(int newPathLen) {
        return new IntermediateSpec(subjectDn, validity, newPathLen, uriSanTrustDomain, uriNameConstraints, dnsSans);
    }

    /** Adds the URI SAN {@code spiffe://<td>} and, if asked, the URI name constraint for {@code td}. */
    public IntermediateSpec withTrustDomain(TrustDomain td, boolean nameConstraints) {
        return new IntermediateSpec(subjectDn, validity, pathLen, td, nameConstraints, dnsSans);
    }

    public IntermediateSpec withDnsSans(List<String> names) {
        return new IntermediateSpec(subjectDn, validity, pathLen, uriSanTrustDomain, uriNameConstraints, names);
    }
}
