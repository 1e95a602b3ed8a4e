package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.crypto.Keys;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/** One certificate as a person wants to read it; used by {@code meshid certs inspect}. */
final class CertificateText {
    private static final String[] KEY_USAGES = {"Digital Signature", "Non Repudiation", "Key Encipherment",
        "Data Encipherment", "Key Agreement", "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only"};
    private static final Map<String, String> EXTENDED_KEY_USAGES = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth (TLS server)",
            "1.3.6.1.5.5.7.3.2", "clientAuth (TLS client)",
            "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection",
            "1.3.6.1.5.5.7.3.8", "timeStamping",
            "1.3.6.1.5.5.7.3.9", "OCSPSigning",
            "2.5.29.37.0", "anyExtendedKeyUsage");
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String NAME_CONSTRAINTS = "2.5.29.30";

    private CertificateText() {
    }

    /**
     * The lines describing {@code cert}, indented by two spaces. {@code sameFile} is the file's other
     * certificates (1-based position = index + 1), so "signed by" can point at the issuer in the file.
     */
    static List<String> lines(X509Certificate cert, List<X509Certificate> sameFile, Instant now) {
        List<String> out = new ArrayList<>();
        Set<String> critical = cert.getCriticalExtensionOIDs() == null ? Set.of() : cert.getCriticalExtensionOIDs();
        out.add(row("subject", name(cert.getSubjectX500Principal())));
        out.add(row("signed by", signedBy(cert, sameFile)));
        out.add(row("SANs", sans(cert) + criticality(cert, SUBJECT_ALT_NAME, critical)));
        out.add(row("SPIFFE ID", spiffeId(cert)));
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();
        out.add(row("valid", notBefore + " to " + notAfter));
        out.add(row("time left", TimeLeft.describe(notBefore, notAfter, now)));
        out.add(row("key", key(cert.getPublicKey()) + ", signed with " + cert.getSigAlgName()));
        out.add(row("kind", kind(cert) + criticality(cert, BASIC_CONSTRAINTS, critical)));
        out.add(row("key usage", keyUsage(cert) + criticality(cert, KEY_USAGE, critical)));
        out.add(row("ext key usage", extendedKeyUsage(cert) + criticality(cert, EXTENDED_KEY_USAGE, critical)));
        if (cert.getExtensionValue(NAME_CONSTRAINTS) != null) {
            out.add(row("name constraints", "present" + criticality(cert, NAME_CONSTRAINTS, critical)));
        }
        out.add(row("serial", serial(cert.getSerialNumber())));
        out.add(row("SHA-256", colons(Certs.fingerprint(cert).toUpperCase(Locale.ROOT))));
        return out;
    }

    /** A key size as people say it: {@code EC P-256}, {@code RSA 4096}. */
    static String key(PublicKey key) {
        try {
            return Keys.algorithmOf(key).label();
        } catch (PkiException e) {
            return key.getAlgorithm() + " " + Keys.bits(key);
        }
    }

    private static String row(String label, String value) {
        return String.format("  %-15s %s", label + ":", value);
    }

    private static String name(X500Principal p) {
        return Report.name(p);
    }

    private static String signedBy(X509Certificate cert, List<X509Certificate> sameFile) {
        if (Certs.isSelfSigned(cert)) {
            return "itself (self-signed root)";
        }
        String issuer = name(cert.getIssuerX500Principal());
        for (int i = 0; i < sameFile.size(); i++) {
            X509Certificate candidate = sameFile.get(i);
            if (candidate != cert && Certs.issuedBy(cert, candidate)) {
                return issuer + " (certificate " + (i + 1) + " in this file)";
            }
        }
        return issuer;
    }

    private static String sans(X509Certificate cert) {
        Collection<List<?>> all;
        try {
            all = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return "MALFORMED (" + e.getMessage() + ")";
        }
        if (all == null || all.isEmpty()) {
            return "none";
        }
        List<String> names = new ArrayList<>();
        for (List<?> san : all) {
            Object type = san.get(0);
            String prefix = switch (type instanceof Integer t ? t : -1) {
                case 1 -> "email:";
                case 2 -> "DNS:";
                case 6 -> "URI:";
                case 7 -> "IP:";
                default -> "other(" + type + "):";
            };
            names.add(prefix + (san.size() > 1 && san.get(1) instanceof String s ? s : "(binary)"));
        }
        return String.join(", ", names);
    }

    private static String spiffeId(X509Certificate cert) {
        try {
            return SvidInfo.requireSpiffeId(cert).toString();
        } catch (PkiException e) {
            List<String> uris;
            try {
                uris = SvidInfo.uriSans(cert);
            } catch (PkiException malformed) {
                return "none (malformed subjectAltName)";
            }
            return uris.isEmpty() ? "none"
                    : "none (" + uris.size() + " URI SANs; an X509-SVID has exactly one SPIFFE ID)";
        }
    }

    private static String kind(X509Certificate cert) {
        int pathLen = cert.getBasicConstraints();
        if (pathLen < 0) {
            return "leaf (not a CA)";
        }
        String limit = pathLen == Integer.MAX_VALUE ? "no pathLen limit" : "pathLen " + pathLen;
        return (Certs.isSelfSigned(cert) ? "root CA, " : "CA, ") + limit;
    }

    private static String keyUsage(X509Certificate cert) {
        boolean[] bits = cert.getKeyUsage();
        if (bits == null) {
            return "none";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < bits.length && i < KEY_USAGES.length; i++) {
            if (bits[i]) {
                names.add(KEY_USAGES[i]);
            }
        }
        return names.isEmpty() ? "(empty)" : String.join(", ", names);
    }

    private static String extendedKeyUsage(X509Certificate cert) {
        List<String> oids;
        try {
            oids = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return "MALFORMED (" + e.getMessage() + ")";
        }
        if (oids == null) {
            return "none";
        }
        return String.join(", ", oids.stream().map(o -> EXTENDED_KEY_USAGES.getOrDefault(o, o)).toList());
    }

    private static String criticality(X509Certificate cert, String oid, Set<String> critical) {
        if (cert.getExtensionValue(oid) == null) {
            return "";
        }
        return critical.contains(oid) ? " [critical]" : " [not critical]";
    }

    private static String serial(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 1 ? "0" + hex : hex;
    }

    static String colons(String hex) {
        StringBuilder sb = new StringBuilder(hex.length() * 3 / 2);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, Math.min(i + 2, hex.length()));
        }
        return sb.toString();
    }
}
