package dev.meshid.ca.vault;

import dev.meshid.settings.GoDuration;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.IntermediateSpec;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The signing half of {@link VaultTestDouble}: what {@code <mount>/root/sign-intermediate} and
 * {@code <mount>/issuer/<ref>/sign-intermediate} do with a CSR (documented at
 * https://developer.hashicorp.com/vault/api-docs/secret/pki#sign-intermediate): {@code common_name} is required
 * unless {@code use_csr_values} takes the subject and extensions from the CSR, {@code ttl} is clamped to the
 * issuer's NotAfter (Vault's default {@code leaf_not_after_behavior} for CAs), and the result is a CA with
 * keyCertSign and cRLSign. A {@link Mode} other than NORMAL makes it return the faulty certificates real
 * deployments have produced.
 */
final class VaultDoublePki {

    /** What the double's signer returns. */
    enum Mode {
        /** As Vault does. */
        NORMAL,
        /** Drops the CSR's URI SAN, as a role-less Vault sign does when use_csr_values is ignored (spire#3968). */
        IGNORE_CSR_VALUES,
        /** An end-entity certificate (basicConstraints cA=false). */
        NOT_A_CA,
        /** A CA without keyCertSign. */
        NO_CERT_SIGN,
        /** A CA whose extendedKeyUsage allows serverAuth only. */
        SERVER_AUTH_ONLY,
        /** One hour of validity whatever was asked. */
        SHORT_LIVED,
        /** Signed by a root that is not in the mount's CA chain. */
        FOREIGN_ROOT
    }

    /** A 400 answer with Vault's message. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final TestPki.Issued foreignRoot;

    VaultDoublePki(Clock clock) {
        this.clock = clock;
        this.foreignRoot = TestPki.root("foreign root").validFor(Duration.ofDays(3650)).at(clock).build();
    }

    X509Certificate sign(TestPki.Issued issuer, String csrPem, String commonName, String ttl, boolean useCsrValues,
            Mode mode) throws BadRequest {
        if (csrPem == null || csrPem.isBlank()) {
            throw new BadRequest("\"csr\" is empty");
        }
        PKCS10CertificationRequest csr;
        PublicKey key;
        try {
            csr = Pem.readCsr(csrPem);
            key = new JcaPKCS10CertificationRequest(csr).setProvider(CryptoProvider.get()).getPublicKey();
        } catch (PkiException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new BadRequest("certificate request could not be parsed");
        }
        boolean csrValues = useCsrValues && mode != Mode.IGNORE_CSR_VALUES;
        String subject = csrValues ? csr.getSubject().toString() : (commonName == null ? "" : "CN=" + commonName);
        if (subject.isBlank()) {
            throw new BadRequest("the common_name field is required, or must be provided in a CSR with"
                    + " \"use_csr_values\" set to true");
        }
        Duration validity = mode == Mode.SHORT_LIVED ? Duration.ofHours(1) : ttl(ttl);
        CaSigner signer = mode == Mode.FOREIGN_ROOT ? foreignRoot.signer() : issuer.signer();
        CertificateIssuer ci = new CertificateIssuer(clock, random);
        try {
            return switch (mode) {
                case NOT_A_CA -> ci.svid(SvidSpec.of(SpiffeId.parse("spiffe://cluster.local/ns/vault/sa/oops"), validity),
                        key, signer);
                case NO_CERT_SIGN -> custom(subject, key, signer, validity, new KeyUsage(KeyUsage.cRLSign), null);
                case SERVER_AUTH_ONLY -> custom(subject, key, signer, validity,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign),
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                default -> ci.intermediate(new IntermediateSpec(subject, validity, 0,
                        csrValues ? uriTrustDomain(csr) : null, false, List.of()), key, signer);
            };
        } catch (PkiException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    TestPki.Issued foreignRoot() {
        return foreignRoot;
    }

    private static Duration ttl(String ttl) throws BadRequest {
        if (ttl == null || ttl.isBlank()) {
            return Duration.ofDays(30);
        }
        try {
            return ttl.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(ttl))
                    : dev.meshid.settings.GoDuration.parse(ttl);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("error parsing ttl: " + e.getMessage());
        }
    }

    private static TrustDomain uriTrustDomain(PKCS10CertificationRequest csr) {
        for (org.bouncycastle.asn1.pkcs.Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable v : a.getAttrValues().toArray()) {
                GeneralNames names = GeneralNames.fromExtensions(
                        org.bouncycastle.asn1.x509.Extensions.getInstance(v), Extension.subjectAlternativeName);
                if (names == null) {
                    continue;
                }
                for (GeneralName n : names.getNames()) {
                    if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        return TrustDomain.parse(n.getName().toString());
                    }
                }
            }
        }
        return null;
    }

    private X509Certificate custom(String subject, PublicKey key, CaSigner issuer, Duration validity, KeyUsage ku,
            ExtendedKeyUsage eku) throws PkiException {
        try {
            Instant now = clock.instant();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                    new BigInteger(64, random).add(BigInteger.ONE), Date.from(now.minusSeconds(30)),
                    Date.from(now.plus(validity)), new X500Name(subject), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, ku);
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, eku);
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                    Keys.signatureAlgorithm(issuer.key())).setProvider(CryptoProvider.get()).build(issuer.key())));
        } catch (Exception e) {
            throw new PkiException("test double cannot build the certificate: " + e.getMessage(), e);
        }
    }
}
