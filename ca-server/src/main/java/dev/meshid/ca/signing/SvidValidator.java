package dev.meshid.ca.signing;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.id.SpiffeId;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Checks every certificate before it leaves the CA, as an independent second opinion on the issuing code:
 * the one SPIFFE ID is the one decided, the key is the one requested, it is a leaf, it does not outlive its
 * issuer, and it names the signing CA as its issuer. These are structural checks on the certificate as parsed
 * back from its DER. The signature is not verified again per certificate: {@link Signer} proves each bundle's key
 * with a self-test certificate when the bundle arrives, and the signing CA's own chain to the trust bundle was
 * verified when the bundle was loaded.
 */
final class SvidValidator {

    /** Returns normally for a good certificate; otherwise the message names the broken rule. */
    void check(X509Certificate leaf, SvidSpec spec, PublicKey requestedKey, KeyCertBundle bundle) throws PkiException {
        X509Certificate ca = bundle.signer().certificate();
        SpiffeId id = SvidInfo.requireSpiffeId(leaf);
        if (!id.equals(spec.id())) {
            throw new PkiException("issued certificate carries SPIFFE ID " + id + " instead of " + spec.id());
        }
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), requestedKey.getEncoded())) {
            throw new PkiException("issued certificate " + Certs.describe(leaf) + " certifies another key than requested");
        }
        if (leaf.getBasicConstraints() >= 0) {
            throw new PkiException("issued certificate " + Certs.describe(leaf) + " is a CA certificate");
        }
        if (leaf.getNotAfter().after(ca.getNotAfter())) {
            throw new PkiException("issued certificate expires at " + leaf.getNotAfter().toInstant()
                    + ", after its issuer " + Certs.describe(ca) + " (" + ca.getNotAfter().toInstant() + ")");
        }
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new PkiException("issued certificate " + Certs.describe(leaf) + " names issuer "
                    + leaf.getIssuerX500Principal().getName() + ", not the signing CA " + Certs.describe(ca));
        }
    }
}
