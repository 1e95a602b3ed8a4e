package dev.meshid.pki.cert;

import dev.meshid.pki.id.SpiffeId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What goes into an X509-SVID (a workload leaf certificate).
 *
 * @param id the SPIFFE ID, the one URI SAN; must name a workload (have a path)
 * @param ttl requested lifetime from now; clamped to the issuer's NotAfter
 * @param backdate how far NotBefore is set before now (null: 2 minutes), for clock skew
 * @param dnsSans extra DNS SANs, only when policy allows them; may be empty
 * @param subjectDn the subject DN, or null for an empty subject (the SAN extension is critical either way)
 */
public record SvidSpec(SpiffeId id, Duration ttl, Duration backdate, List<String> dnsSans, String subjectDn) {

    public SvidSpec {
        Objects.requireNonNull(id, "id");
        if (!id.isWorkload()) {
            throw new IllegalArgumentException("an X509-SVID needs a workload SPIFFE ID with a path, got " + id);
        }
        Validity.requirePositive(ttl, "SVID TTL");
        backdate = Validity.backdateOrDefault(backdate, "SVID");
        dnsSans = Names.dnsNames(dnsSans);
        if (subjectDn != null) {
            Names.parseDn(subjectDn, "the SVID");
        }
    }

    /** An SVID for {@code id} living {@code ttl}, empty subject, no DNS SANs, default backdate. */
    public static SvidSpec of(SpiffeId id, Duration ttl) {
        return new SvidSpec(id, ttl, null, List.of(), null);
    }

    public SvidSpec withDnsSans(List<String> names) {
        return new SvidSpec(id, ttl, backdate, names, subjectDn);
    }

    public SvidSpec withSubject(String dn) {
        return new SvidSpec(id, ttl, backdate, dnsSans, dn);
    }

    public SvidSpec withBackdate(Duration d) {
        return new SvidSpec(id, ttl, d, dnsSans, subjectDn);
    }
}
