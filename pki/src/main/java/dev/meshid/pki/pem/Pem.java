package dev.meshid.pki.pem;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.crypto.CryptoProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM reading and writing for certificates, certificate bundles, CSRs and private keys. Reading accepts
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys;
 * writing uses PKCS#8 unless asked otherwise. Every malformed input becomes a {@link PkiException} whose
 * message names what was expected and what was found; no key material is ever put in a message.
 */
public final class Pem {
    /** Largest PEM text accepted: generous for a bundle of roots, small enough to refuse junk early. */
    public static final int MAX_PEM_BYTES = 1 << 20;
    private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    /** Reads a file, refusing a missing or oversized one with a message that names the path. */
    public static String readFile(Path path) throws PkiException {
        try {
            long size = Files.size(path);
            if (size > MAX_PEM_BYTES) {
                throw new PkiException(path + ": " + size + " bytes is larger than the " + MAX_PEM_BYTES
                        + "-byte limit for PEM files");
            }
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new PkiException(path + ": no such file");
        } catch (IOException e) {
            throw new PkiException(path + ": cannot read: " + e.getMessage());
        }
    }

    /** All PEM blocks in the text, in order, or an exception if the text is not PEM at all. */
    public static List<PemObject> blocks(String pem) throws PkiException {
        if (pem == null || pem.isBlank()) {
            throw new PkiException("empty input; expected PEM text (-----BEGIN ...-----)");
        }
        if (pem.length() > MAX_PEM_BYTES) {
            throw new PkiException("PEM input of " + pem.length() + " characters is larger than the "
                    + MAX_PEM_BYTES + "-byte limit");
        }
        List<PemObject> out = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject o;
            while ((o = reader.readPemObject()) != null) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new PkiException("malformed PEM: " + safe(e));
        }
        if (out.isEmpty()) {
            throw new PkiException("no PEM block found; expected text starting with -----BEGIN ...-----");
        }
        return out;
    }

    /** Every certificate in a bundle; any other block, or none, is an error. */
    public static List<X509Certificate> readCertificates(String pem) throws PkiException {
        List<X509Certificate> certs = new ArrayList<>();
        int index = 0;
        for (PemObject o : blocks(pem)) {
            index++;
            if (!o.getType().equals("CERTIFICATE")) {
                throw new PkiException("PEM block " + index + " is a " + o.getType() + "; expected CERTIFICATE");
            }
            certs.add(parseCertificate(o.getContent(), "PEM block " + index));
        }
        return certs;
    }

    /** Exactly one certificate. */
    public static X509Certificate readCertificate(String pem) throws PkiException {
        List<X509Certificate> certs = readCertificates(pem);
        if (certs.size() != 1) {
            throw new PkiException("expected exactly one certificate, found " + certs.size());
        }
        return certs.get(0);
    }

    /** A certificate from DER bytes. */
    public static X509Certificate parseCertificate(byte[] der, String where) throws PkiException {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            X509Certificate cert = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(der));
            strictDer(cert, where);
            return cert;
        } catch (PkiException e) {
            throw e;
        } catch (CertificateException | RuntimeException e) {
            throw new PkiException(where + " is not a valid X.509 certificate: " + safe(e));
        } catch (StackOverflowError e) {
            // The JDK's DER parser recurses into nested indefinite-length values (~10,000 deep overflows).
            throw new PkiException(where + " is not a valid X.509 certificate: ASN.1 nested too deeply");
        }
    }

    /**
     * The JDK's parser accepts some DER that BouncyCastle, which meshid uses to build chains and read
     * extensions, refuses (found by fuzzing: a certificate with an unknown universal tag inside). Refusing such
     * a certificate here keeps it from failing later, far from its source, with an unchecked exception.
     */
    private static void strictDer(X509Certificate cert, String where) throws PkiException {
        try {
            org.bouncycastle.asn1.x509.Certificate.getInstance(cert.getEncoded());
        } catch (CertificateException | RuntimeException e) {
            throw new PkiException(where + " is not a valid X.509 certificate: its DER does not decode strictly ("
                    + safe(e) + "); re-encode it, e.g. with openssl x509 -outform PEM");
        }
    }

    /** A PKCS#10 request from a single {@code CERTIFICATE REQUEST} block (not yet verified). */
    public static PKCS10CertificationRequest readCsr(String pem) throws PkiException {
        List<PemObject> blocks = blocks(pem);
        if (blocks.size() != 1) {
            throw new PkiException("expected exactly one CERTIFICATE REQUEST block, found " + blocks.size()
                    + " PEM blocks");
        }
        PemObject o = blocks.get(0);
        if (!o.getType().equals("CERTIFICATE REQUEST") && !o.getType().equals("NEW CERTIFICATE REQUEST")) {
            throw new PkiException("PEM block is a " + o.getType() + "; expected CERTIFICATE REQUEST");
        }
        try {
            return new PKCS10CertificationRequest(o.getContent());
        } catch (IOException | RuntimeException e) {
            // BouncyCastle throws runtime exceptions (even ArrayIndexOutOfBounds) on malformed DER.
            throw new PkiException("the CERTIFICATE REQUEST is not valid PKCS#10 DER: " + safe(e));
        } catch (StackOverflowError e) {
            throw new PkiException("the CERTIFICATE REQUEST is not valid PKCS#10 DER: ASN.1 nested too deeply");
        }
    }

    /** A private key from PKCS#8, PKCS#1 (RSA) or SEC1 (EC) PEM; an encrypted key is refused. */
    public static PrivateKey readPrivateKey(String pem) throws PkiException {
        List<PemObject> keys = new ArrayList<>();
        for (PemObject o : blocks(pem)) {
            if (!o.getType().equals("EC PARAMETERS")) {
                keys.add(o);
            }
        }
        if (keys.size() != 1) {
            throw new PkiException("expected exactly one private key block, found " + keys.size());
        }
        PemObject o = keys.get(0);
        if (!o.getHeaders().isEmpty()) {
            // RFC 1421 headers on a key mean OpenSSL's legacy encryption (Proc-Type: 4,ENCRYPTED).
            throw new PkiException("the " + o.getType() + " block has PEM headers: it is encrypted; meshid reads"
                    + " unencrypted keys only (decrypt it with openssl pkey)");
        }
        try {
            PrivateKeyInfo info = switch (o.getType()) {
                case "PRIVATE KEY" -> PrivateKeyInfo.getInstance(o.getContent());
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    Object parsed = new org.bouncycastle.openssl.PEMParser(new StringReader(toPem(o))).readObject();
                    if (!(parsed instanceof PEMKeyPair pair)) {
                        throw new PkiException("the " + o.getType() + " block could not be decoded");
                    }
                    yield pair.getPrivateKeyInfo();
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new PkiException(
                        "the private key is encrypted; meshid reads unencrypted keys only (decrypt it with openssl pkey)");
                default -> throw new PkiException("PEM block is a " + o.getType()
                        + "; expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
            };
            return toPrivateKey(info);
        } catch (PkiException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new PkiException("the " + o.getType() + " block is not a valid key (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info) throws Exception {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String family = switch (oid) {
            case "1.2.840.10045.2.1" -> "EC";
            case "1.2.840.113549.1.1.1" -> "RSA";
            default -> throw new PkiException("unsupported private key algorithm " + oid + "; use EC or RSA");
        };
        return KeyFactory.getInstance(family, CryptoProvider.get())
                .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    /** Certificates as a PEM bundle, in the given order. */
    public static String write(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(write(c));
        }
        return sb.toString();
    }

    /** One certificate as PEM. */
    public static String write(X509Certificate cert) {
        try {
            return encode("CERTIFICATE", cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot write PEM: the certificate does not encode", e);
        }
    }

    /** A CSR as PEM. */
    public static String write(PKCS10CertificationRequest csr) {
        try {
            return encode("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM: the CSR does not encode", e);
        }
    }

    /** A private key as PKCS#8 PEM ({@code PRIVATE KEY}). */
    public static String writePrivateKey(PrivateKey key) {
        return toPem(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    /**
     * A private key in its traditional form: PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY},
     * as istio-agent writes when {@code PKCS8_KEY} is false.
     */
    public static String writeTraditionalPrivateKey(PrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            if (!key.getAlgorithm().startsWith("EC")) {
                return toPem(new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
            }
            // SEC1 must name the curve itself: PKCS#8 encoders (ACCP among them) may leave the optional
            // [0] parameters out of the inner ECPrivateKey, since the AlgorithmIdentifier carries them.
            org.bouncycastle.asn1.sec.ECPrivateKey ec = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                    info.parsePrivateKey());
            if (ec.getParametersObject() == null) {
                int orderBits = ((java.security.interfaces.ECKey) key).getParams().getOrder().bitLength();
                ec = new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, ec.getKey(), ec.getPublicKey(),
                        info.getPrivateKeyAlgorithm().getParameters());
            }
            return toPem(new PemObject("EC PRIVATE KEY", ec.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the private key", e);
        }
    }

    private static String toPem(PemObject o) {
        if (!o.getHeaders().isEmpty()) {
            throw new IllegalArgumentException("PEM headers are not written; got " + o.getHeaders().size());
        }
        return encode(o.getType(), o.getContent());
    }

    /**
     * RFC 7468's strict form: the label lines, base64 in lines of 64 characters, {@code \n} line ends. Written
     * directly, as one string: the CA writes a chain for every certificate it issues, and a writer stack for
     * each block cost more than the base64 itself.
     */
    private static String encode(String label, byte[] der) {
        String body = PEM_BASE64.encodeToString(der);
        StringBuilder sb = new StringBuilder(body.length() + 2 * label.length() + 40);
        sb.append("-----BEGIN ").append(label).append("-----\n");
        if (!body.isEmpty()) {
            sb.append(body).append('\n');
        }
        return sb.append("-----END ").append(label).append("-----\n").toString();
    }

    /** An exception's message without echoing input bytes back. */
    static String safe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
