package dev.meshid.pki.csr;

import dev.meshid.pki.PkiException;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/** Names CSR signature algorithms and refuses the broken ones (MD2/MD4/MD5 and SHA-1 based). */
final class SignatureAlgorithms {
    private static final Map<ASN1ObjectIdentifier, String> WEAK = Map.of(
            PKCSObjectIdentifiers.md2WithRSAEncryption, "MD2withRSA",
            PKCSObjectIdentifiers.md4WithRSAEncryption, "MD4withRSA",
            PKCSObjectIdentifiers.md5WithRSAEncryption, "MD5withRSA",
            PKCSObjectIdentifiers.sha1WithRSAEncryption, "SHA1withRSA",
            OIWObjectIdentifiers.sha1WithRSA, "SHA1withRSA",
            X9ObjectIdentifiers.ecdsa_with_SHA1, "SHA1withECDSA",
            X9ObjectIdentifiers.id_dsa_with_sha1, "SHA1withDSA");

    private SignatureAlgorithms() {
    }

    /** The algorithm's name, or an exception if it relies on a broken digest. */
    static String checkedName(AlgorithmIdentifier alg) throws PkiException {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        String weak = WEAK.get(oid);
        if (weak != null) {
            throw new PkiException("the CSR is signed with " + weak + ", whose digest is broken; sign it with "
                    + "SHA-256 or stronger (for example SHA256withECDSA or SHA256withRSA)");
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            // Absent PSS parameters mean SHA-1 (RFC 4055), so an empty parameter field is weak too.
            RSASSAPSSparams pss = RSASSAPSSparams.getInstance(alg.getParameters());
            if (pss == null || pss.getHashAlgorithm().getAlgorithm().equals(OIWObjectIdentifiers.idSHA1)) {
                throw new PkiException("the CSR is signed with RSASSA-PSS over SHA-1, whose digest is broken; "
                        + "use SHA-256 or stronger");
            }
        }
        return new DefaultAlgorithmNameFinder().getAlgorithmName(alg);
    }
}
