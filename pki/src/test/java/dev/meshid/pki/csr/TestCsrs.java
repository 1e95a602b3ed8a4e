package dev.meshid.pki.csr;

import dev.meshid.pki.crypto.CryptoProvider;
import java.security.KeyPair;
import java.security.Provider;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Hand-made CSRs with contents {@link CsrBuilder} would never produce, for intake's error paths. */
final class TestCsrs {
    private TestCsrs() {
    }

    /** A CSR whose extensionRequest attributes hold exactly the given values, signed as asked. */
    static PKCS10CertificationRequest withAttributes(KeyPair keys, String sigAlg, Provider provider,
            ASN1Encodable... extensionRequests) throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("O=test"), keys.getPublic());
        for (ASN1Encodable e : extensionRequests) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, e);
        }
        return b.build(new JcaContentSignerBuilder(sigAlg).setProvider(provider).build(keys.getPrivate()));
    }

    /** A CSR with one SAN extension holding {@code names}, signed with the process provider. */
    static PKCS10CertificationRequest withSans(KeyPair keys, String sigAlg, GeneralName... names) throws Exception {
        return withAttributes(keys, sigAlg, CryptoProvider.get(), extensions(sanExtension(false, names)));
    }

    static Extension sanExtension(boolean critical, GeneralName... names) throws Exception {
        return new Extension(Extension.subjectAlternativeName, critical, new GeneralNames(names).getEncoded());
    }

    /** An Extensions SEQUENCE built by hand, so that repeats are possible. */
    static DERSequence extensions(Extension... exts) {
        ASN1Encodable[] items = new ASN1Encodable[exts.length];
        for (int i = 0; i < exts.length; i++) {
            items[i] = exts[i].toASN1Primitive();
        }
        return new DERSequence(items);
    }
}
