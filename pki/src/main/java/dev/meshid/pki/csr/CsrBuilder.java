package dev.meshid.pki.csr;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds the PKCS#10 request a workload sends to the CA: the SPIFFE ID as the one URI SAN, optional DNS SANs,
 * an empty subject unless one is given, and the SAN extension critical (X.509 requires that when the subject
 * is empty, and it does no harm otherwise). Signed with the key pair's own private key through
 * {@link CryptoProvider#get()}.
 *
 * <pre>{@code
 * PKCS10CertificationRequest csr = CsrBuilder.forKeyPair(keys, id).subject("O=cluster.local").build();
 * String pem = Pem.write(csr);
 * }</pre>
 */
public final class CsrBuilder {
    private final KeyPair keyPair;
    private final SpiffeId spiffeId;
    private X500Name subject = X500Name.getInstance(new org.bouncycastle.asn1.DERSequence());
    private final List<String> dnsSans = new ArrayList<>();

    private CsrBuilder(KeyPair keyPair, SpiffeId spiffeId) {
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.spiffeId = Objects.requireNonNull(spiffeId, "spiffeId");
    }

    /** A request for {@code spiffeId}, proving possession of {@code keyPair}'s private key. */
    public static CsrBuilder forKeyPair(KeyPair keyPair, SpiffeId spiffeId) {
        return new CsrBuilder(keyPair, spiffeId);
    }

    /**
     * Sets the subject from an RFC 4514 DN such as {@code O=cluster.local}; blank means empty.
     *
     * @throws IllegalArgumentException if the DN cannot be parsed
     */
    public CsrBuilder subject(String dn) {
        if (dn == null || dn.isBlank()) {
            subject = X500Name.getInstance(new org.bouncycastle.asn1.DERSequence());
            return this;
        }
        try {
            subject = new X500Name(dn);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid subject DN \"" + dn + "\"; expected a form like O=cluster.local", e);
        }
        return this;
    }

    /** Adds a DNS SAN after the SPIFFE ID. */
    public CsrBuilder dnsSan(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a DNS SAN may not be empty");
        }
        dnsSans.add(name);
        return this;
    }

    /** The signed request; {@link dev.meshid.pki.pem.Pem#write(PKCS10CertificationRequest)} gives its PEM. */
    public PKCS10CertificationRequest build() throws PkiException {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId.toString()));
        for (String d : dnsSans) {
            names.add(new GeneralName(GeneralName.dNSName, d));
        }
        try {
            Extension san = new Extension(Extension.subjectAlternativeName, true,
                    new GeneralNames(names.toArray(GeneralName[]::new)).getEncoded());
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject,
                    keyPair.getPublic());
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(san));
            return b.build(new JcaContentSignerBuilder(Keys.signatureAlgorithm(keyPair.getPrivate()))
                    .setProvider(CryptoProvider.get()).build(keyPair.getPrivate()));
        } catch (IOException | OperatorCreationException | RuntimeException e) {
            throw new PkiException("cannot sign the CSR with the " + keyPair.getPrivate().getAlgorithm()
                    + " key: " + CsrIntake.describe(e));
        }
    }
}
