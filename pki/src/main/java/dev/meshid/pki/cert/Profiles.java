package dev.meshid.pki.cert;

import dev.meshid.pki.id.TrustDomain;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The X.509 profiles of PROTOCOLS.md §3 — policy only: which extensions a root, an intermediate and an
 * X509-SVID carry, and whether each is critical. {@link CertificateIssuer} does the signing.
 */
final class Profiles {
    private Profiles() {
    }

    /** Root: cA=true without pathLen, keyCertSign+cRLSign, optional URI SAN, SKI and AKI = own SKI. */
    static void root(X509v3CertificateBuilder b, PublicKey key, TrustDomain td) throws IOException {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caCommon(b, key, null, td, List.of());
    }

    /** Intermediate: cA=true with pathLen, keyCertSign+cRLSign, optional SANs and URI name constraints. */
    static void intermediate(X509v3CertificateBuilder b, IntermediateSpec spec, PublicKey key, X509Certificate issuer)
            throws IOException {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.pathLen()));
        caCommon(b, key, issuer, spec.uriSanTrustDomain(), spec.dnsSans());
        if (spec.uriNameConstraints()) {
            // RFC 5280 §4.2.1.10: a URI constraint is a host name matched against the URI's host; the
            // extension MUST be critical.
            GeneralSubtree permitted = new GeneralSubtree(
                    new GeneralName(GeneralName.uniformResourceIdentifier, spec.uriSanTrustDomain().name()));
            b.addExtension(Extension.nameConstraints, true,
                    new NameConstraints(new GeneralSubtree[] {permitted}, null));
        }
    }

    /**
     * X509-SVID: cA=false, keyUsage digitalSignature (+ keyEncipherment for RSA keys), EKU serverAuth and
     * clientAuth, one URI SAN plus the DNS SANs asked for. The SAN extension is always critical: required
     * when the subject is empty, and harmless otherwise, so one rule covers both.
     */
    static void svid(X509v3CertificateBuilder b, SvidSpec spec, PublicKey key, X509Certificate issuer)
            throws IOException {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        int usage = KeyUsage.digitalSignature;
        if ("RSA".equals(key.getAlgorithm())) {
            usage |= KeyUsage.keyEncipherment;
        }
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, spec.id().toString()));
        spec.dnsSans().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names.toArray(GeneralName[]::new)));
        keyIdentifiers(b, key, issuer);
    }

    private static void caCommon(X509v3CertificateBuilder b, PublicKey key, X509Certificate issuer, TrustDomain td,
            List<String> dnsSans) throws IOException {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        List<GeneralName> names = new ArrayList<>();
        if (td != null) {
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, td.id().toString()));
        }
        dnsSans.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        keyIdentifiers(b, key, issuer);
    }

    /** SKI from the subject key (RFC 5280 method 1); AKI = the issuer's SKI, or our own for a root. */
    private static void keyIdentifiers(X509v3CertificateBuilder b, PublicKey key, X509Certificate issuer)
            throws IOException {
        SubjectKeyIdentifier ski = utils().createSubjectKeyIdentifier(key);
        b.addExtension(Extension.subjectKeyIdentifier, false, ski);
        byte[] authorityKeyId = issuer == null ? ski.getKeyIdentifier() : keyIdOf(issuer);
        b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
    }

    /** The issuer's own SKI if it has one (so AKI matches it byte for byte), else computed from its key. */
    static byte[] keyIdOf(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        }
        return utils().createSubjectKeyIdentifier(cert.getPublicKey()).getKeyIdentifier();
    }

    private static JcaX509ExtensionUtils utils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is not available", e);
        }
    }
}
