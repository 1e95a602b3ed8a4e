package dev.meshid.pki.cert;

import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Checks for distinguished names and DNS names in the specs. */
final class Names {
    private Names() {
    }

    /** {@code O=<org>, CN=<cn>} with proper escaping; either part may be null or blank to leave it out. */
    static String dn(String org, String cn) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (org != null && !org.isBlank()) {
            b.addRDN(BCStyle.O, org);
        }
        if (cn != null && !cn.isBlank()) {
            b.addRDN(BCStyle.CN, cn);
        }
        return b.build().toString();
    }

    /** Parses a DN such as {@code O=Istio, CN=Root CA}, or throws naming the DN. */
    static X500Name parseDn(String dn, String what) {
        if (dn == null) {
            throw new IllegalArgumentException(what + " subject DN is missing");
        }
        X500Name name;
        try {
            name = new X500Name(BCStyle.INSTANCE, dn);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " subject DN \"" + dn + "\" is not a valid distinguished name"
                    + " (write it like O=Istio, CN=Root CA)");
        }
        if (name.getRDNs().length == 0) {
            throw new IllegalArgumentException(what + " subject DN is empty; write it like O=Istio, CN=Root CA");
        }
        return name;
    }

    /** A copied list of DNS names, each checked to be a plausible host name (a leading {@code *.} allowed). */
    static List<String> dnsNames(List<String> names) {
        if (names == null) {
            return List.of();
        }
        for (String n : names) {
            if (n == null || n.isEmpty() || n.length() > 253) {
                throw new IllegalArgumentException("invalid DNS SAN \"" + n + "\": empty or longer than 253 characters");
            }
            String host = n.startsWith("*.") ? n.substring(2) : n;
            for (String label : host.split("\\.", -1)) {
                if (label.isEmpty() || label.length() > 63
                        || !label.toLowerCase(Locale.ROOT).matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?")) {
                    throw new IllegalArgumentException("invalid DNS SAN \"" + n
                            + "\": labels are 1-63 characters of letters, digits, '-' and '_'");
                }
            }
        }
        return List.copyOf(names);
    }
}
