package dev.meshid.pki.cert;

import dev.meshid.pki.id.TrustDomain;
import java.time.Duration;

/**
 * What goes into a self-signed root CA certificate.
 *
 * @param subjectDn the subject (and issuer) DN, e.g. {@code O=Istio, CN=Root CA}
 * @param validity how long the root is valid, counted from the issuing clock's now
 * @param uriSanTrustDomain if not null, the root carries the URI SAN {@code spiffe://<td>}
 */
public record RootSpec(String subjectDn, Duration validity, TrustDomain uriSanTrustDomain) {

    public RootSpec {
        Names.parseDn(subjectDn, "the root CA");
        Validity.requirePositive(validity, "root CA validity");
    }

    /** A root {@code O=<org>, CN=<cn>} valid for {@code days} days, without a URI SAN. */
    public static RootSpec of(String org, String cn, long days) {
        return new RootSpec(Names.dn(org, cn), Duration.ofDays(days), null);
    }

    /** The same root with the URI SAN {@code spiffe://<td>}. */
    public RootSpec withTrustDomain(TrustDomain td) {
        return new RootSpec(subjectDn, validity, td);
    }
}
