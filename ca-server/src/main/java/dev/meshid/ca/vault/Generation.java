package dev.meshid.ca.vault;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.Certs;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * One Vault-signed intermediate: meshid's own key pair (generated in this process, never sent anywhere), the
 * certificate Vault returned, the issuers between it and the root, and the roots of Vault's CA chain.
 */
record Generation(KeyPair keys, X509Certificate cert, List<X509Certificate> issuers, List<X509Certificate> roots) {
    Generation {
        issuers = List.copyOf(issuers);
        roots = List.copyOf(roots);
    }

    CaSigner signer() {
        return new CaSigner(cert, keys.getPrivate());
    }

    /** This intermediate as the signer, trusting its own roots plus {@code extraRoots} (absent ones added). */
    KeyCertBundle bundle(List<X509Certificate> extraRoots) {
        TrustBundle trust = new TrustBundle(roots);
        for (X509Certificate r : extraRoots) {
            if (!trust.contains(r)) {
                trust = trust.merge(new TrustBundle(List.of(r)));
            }
        }
        return new KeyCertBundle(signer(), issuers, trust);
    }

    /** Fingerprint of what a bundle would carry: the certificates only (the key follows the certificate). */
    static String fingerprint(KeyCertBundle b) {
        List<String> parts = new ArrayList<>();
        parts.add(Certs.fingerprint(b.signer().certificate()));
        b.intermediates().forEach(c -> parts.add(Certs.fingerprint(c)));
        parts.add("|");
        b.roots().roots().forEach(c -> parts.add(Certs.fingerprint(c)));
        return String.join(",", parts);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "Generation[" + Certs.describe(cert) + ", issuers=" + issuers.size() + ", roots=" + roots.size() + "]";
    }
}
