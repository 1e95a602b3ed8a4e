package dev.meshid.pki.cert;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.id.InvalidSpiffeIdException;
import dev.meshid.pki.id.SpiffeId;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reads the SPIFFE ID out of an X509-SVID. */
public final class SvidInfo {
    private static final int URI_NAME = 6;

    private SvidInfo() {
    }

    /**
     * The SPIFFE ID of a certificate: present only when the certificate has exactly one URI SAN and it is
     * a valid SPIFFE ID. Anything else — no URI SAN, a non-SPIFFE URI, an invalid SPIFFE ID, or several URI
     * SANs (ambiguous; the SPIFFE spec allows exactly one) — gives empty, so callers fail closed.
     * {@link #requireSpiffeId} says which of these it was.
     */
    public static Optional<SpiffeId> spiffeIdOf(X509Certificate cert) {
        try {
            return Optional.of(requireSpiffeId(cert));
        } catch (PkiException e) {
            return Optional.empty();
        }
    }

    /** The SPIFFE ID of a certificate, or an exception saying why it has none. */
    public static SpiffeId requireSpiffeId(X509Certificate cert) throws PkiException {
        List<String> uris = uriSans(cert);
        if (uris.size() != 1) {
            throw new PkiException("certificate " + Certs.describe(cert) + " has " + uris.size()
                    + " URI SANs; an X509-SVID has exactly one, its SPIFFE ID");
        }
        try {
            return SpiffeId.parse(uris.get(0));
        } catch (InvalidSpiffeIdException e) {
            throw new PkiException("the URI SAN of certificate " + Certs.describe(cert) + " is not a SPIFFE ID: "
                    + e.getMessage());
        }
    }

    /** All URI SANs of the certificate, in order. */
    public static List<String> uriSans(X509Certificate cert) throws PkiException {
        return sans(cert, URI_NAME);
    }

    /** All DNS SANs of the certificate, in order. */
    public static List<String> dnsSans(X509Certificate cert) throws PkiException {
        return sans(cert, 2);
    }

    private static List<String> sans(X509Certificate cert, int type) throws PkiException {
        Collection<List<?>> all;
        try {
            all = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new PkiException("certificate " + Certs.describe(cert) + " has a malformed subjectAltName: "
                    + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        if (all != null) {
            for (List<?> san : all) {
                if (san.size() >= 2 && Integer.valueOf(type).equals(san.get(0)) && san.get(1) instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
