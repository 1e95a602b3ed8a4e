package dev.meshid.certs;

import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Builds subject DNs in the order Istio's Makefile writes them: O, CN, then L. */
final class Subject {
    private Subject() {
    }

    /** {@code O=<org>,CN=<cn>[,L=<locality>]}, escaped; blank parts are left out. */
    static String dn(String org, String cn, String locality) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (org != null && !org.isBlank()) {
            b.addRDN(BCStyle.O, org);
        }
        if (cn != null && !cn.isBlank()) {
            b.addRDN(BCStyle.CN, cn);
        }
        if (locality != null && !locality.isBlank()) {
            b.addRDN(BCStyle.L, locality);
        }
        return b.build().toString();
    }
}
