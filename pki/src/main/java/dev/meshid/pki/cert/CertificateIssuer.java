package dev.meshid.pki.cert;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.Keys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues roots, intermediates and X509-SVIDs with the profiles of PROTOCOLS.md §3.
 *
 * <p>Time: NotBefore is now minus a backdate (the spec's for SVIDs, 2 minutes for CAs) to tolerate clock
 * skew, but never before the issuer's NotBefore. NotAfter is now plus the requested validity, silently
 * clamped to the issuer's NotAfter for both intermediates and SVIDs (nothing may outlive its issuer; callers
 * that must know compare {@code getNotAfter()} with what they asked for). Issuing from a CA that has
 * already expired, or whose clamped validity would be empty, is a {@link PkiException}.
 *
 * <p>Serials: 16 bytes from the injected {@link SecureRandom}, read as a positive big-endian number
 * (redrawn in the 2^-128 case of zero), so up to 128 bits.
 *
 * <p>Cost: each thread keeps its {@link ContentSigner} for the last key it signed with and one
 * {@link CertificateFactory}, so issuing does no provider lookup per certificate.
 */
public final class CertificateIssuer {
    private static final Duration CA_BACKDATE = Validity.DEFAULT_BACKDATE;
    private static final int SERIAL_BYTES = 16;

    private final Clock clock;
    private final SecureRandom random;

    /** A thread's signer for one key; a ContentSigner is stateful, so it is never shared between threads. */
    private record KeyedSigner(PrivateKey key, ContentSigner signer) {
    }

    private static final ThreadLocal<KeyedSigner> SIGNERS = new ThreadLocal<>();
    private static final ThreadLocal<CertificateFactory> FACTORIES = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    });

    public CertificateIssuer(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A self-signed root CA for {@code keys}. */
    public X509Certificate selfSignedRoot(RootSpec spec, KeyPair keys) throws PkiException {
        Instant now = clock.instant();
        X500Name subject = Names.parseDn(spec.subjectDn(), "the root CA");
        X509v3CertificateBuilder b = builder(subject, subject, now.minus(CA_BACKDATE), now.plus(spec.validity()),
                keys.getPublic());
        try {
            Profiles.root(b, keys.getPublic(), spec.uriSanTrustDomain());
        } catch (IOException e) {
            throw new PkiException("cannot encode the root CA extensions: " + e.getMessage(), e);
        }
        return sign(b, keys.getPrivate());
    }

    /** An intermediate CA for {@code subjectKey}, signed by {@code issuer}; NotAfter clamped to the issuer's. */
    public X509Certificate intermediate(IntermediateSpec spec, PublicKey subjectKey, CaSigner issuer)
            throws PkiException {
        Window w = window(CA_BACKDATE, spec.validity(), issuer);
        X509v3CertificateBuilder b = builder(issuerName(issuer), Names.parseDn(spec.subjectDn(), "the intermediate CA"),
                w.notBefore, w.notAfter, subjectKey);
        try {
            Profiles.intermediate(b, spec, subjectKey, issuer.certificate());
        } catch (IOException e) {
            throw new PkiException("cannot encode the intermediate CA extensions: " + e.getMessage(), e);
        }
        return sign(b, issuer.key());
    }

    /** An X509-SVID for {@code subjectKey}, signed by {@code issuer}; NotAfter clamped to the issuer's. */
    public X509Certificate svid(SvidSpec spec, PublicKey subjectKey, CaSigner issuer) throws PkiException {
        Keys.algorithmOf(subjectKey);
        Window w = window(spec.backdate(), spec.ttl(), issuer);
        X500Name subject = spec.subjectDn() == null ? new X500Name(new RDN[0])
                : Names.parseDn(spec.subjectDn(), "the SVID");
        X509v3CertificateBuilder b = builder(issuerName(issuer), subject, w.notBefore, w.notAfter, subjectKey);
        try {
            Profiles.svid(b, spec, subjectKey, issuer.certificate());
        } catch (IOException e) {
            throw new PkiException("cannot encode the SVID extensions: " + e.getMessage(), e);
        }
        return sign(b, issuer.key());
    }

    /**
     * Re-issues a self-signed root with the same key, subject and extensions and a new serial and validity
     * (NotBefore = now - 2 minutes), e.g. when 20% of its life remains. Certificates signed by the old root
     * verify with the new one, since name and key are unchanged.
     */
    public X509Certificate reissueRoot(X509Certificate oldRoot, PrivateKey key, Duration validity)
            throws PkiException {
        Validity.requirePositive(validity, "root CA validity");
        if (!Certs.isSelfSigned(oldRoot)) {
            throw new PkiException("cannot re-issue " + Certs.describe(oldRoot) + ": it is not a self-signed root");
        }
        if (!Keys.matches(key, oldRoot.getPublicKey())) {
            throw new PkiException("cannot re-issue " + Certs.describe(oldRoot)
                    + ": the private key does not match the root's public key");
        }
        Instant now = clock.instant();
        X500Name subject = X500Name.getInstance(oldRoot.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder b = builder(subject, subject, now.minus(CA_BACKDATE), now.plus(validity),
                oldRoot.getPublicKey());
        try {
            copyExtensions(b, oldRoot, oldRoot.getCriticalExtensionOIDs());
            copyExtensions(b, oldRoot, oldRoot.getNonCriticalExtensionOIDs());
        } catch (CertificateException e) {
            throw new PkiException("cannot copy the extensions of " + Certs.describe(oldRoot) + ": " + e.getMessage(), e);
        }
        return sign(b, key);
    }

    private static void copyExtensions(X509v3CertificateBuilder b, X509Certificate from, Set<String> oids)
            throws CertificateException {
        if (oids == null) {
            return;
        }
        for (String oid : oids) {
            b.copyAndAddExtension(new ASN1ObjectIdentifier(oid), from.getCriticalExtensionOIDs().contains(oid),
                    new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(from));
        }
    }

    private record Window(Instant notBefore, Instant notAfter) {
    }

    private Window window(Duration backdate, Duration validity, CaSigner issuer) throws PkiException {
        Instant now = clock.instant();
        Instant issuerNotBefore = issuer.certificate().getNotBefore().toInstant();
        Instant notBefore = now.minus(backdate);
        if (notBefore.isBefore(issuerNotBefore)) {
            notBefore = issuerNotBefore;
        }
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(issuer.notAfter())) {
            notAfter = issuer.notAfter();
        }
        if (!now.isBefore(issuer.notAfter())) {
            throw new PkiException("the signing CA " + Certs.describe(issuer.certificate()) + " expired at "
                    + issuer.notAfter() + " (now " + now + "); rotate the CA before issuing");
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new PkiException("the signing CA " + Certs.describe(issuer.certificate())
                    + " is not valid yet (NotBefore " + issuerNotBefore + ", now " + now + ")");
        }
        return new Window(notBefore, notAfter);
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Instant notBefore, Instant notAfter,
            PublicKey key) {
        return new JcaX509v3CertificateBuilder(issuer, serial(), CertTime.of(notBefore), CertTime.of(notAfter), subject,
                key);
    }

    private static X500Name issuerName(CaSigner issuer) {
        // The issuer's subject bytes, unchanged, so that name chaining compares equal everywhere.
        return X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    }

    private BigInteger serial() {
        byte[] bytes = new byte[SERIAL_BYTES];
        BigInteger s;
        do {
            random.nextBytes(bytes);
            s = new BigInteger(1, bytes);
        } while (s.signum() == 0);
        return s;
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        KeyedSigner cached = SIGNERS.get();
        if (cached != null && cached.key() == key) {
            return cached.signer();
        }
        ContentSigner signer = new JcaContentSignerBuilder(Keys.signatureAlgorithm(key))
                .setProvider(CryptoProvider.get()).build(key);
        SIGNERS.set(new KeyedSigner(key, signer));
        return signer;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws PkiException {
        try {
            byte[] der;
            try {
                der = b.build(signer(key)).getEncoded();
            } catch (RuntimeException e) {
                SIGNERS.remove(); // a signature interrupted half-way must not leak into the next certificate
                throw e;
            }
            return (X509Certificate) FACTORIES.get().generateCertificate(new ByteArrayInputStream(der));
        } catch (OperatorCreationException | CertificateException | IOException e) {
            throw new PkiException("cannot sign the certificate with the " + key.getAlgorithm() + " CA key: "
                    + e.getMessage(), e);
        }
    }
}
