package dev.meshid.ca.bundle;

import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One version of the trust bundle as the CA streams it: the roots, the version string (lowercase hex SHA-256
 * over the DER encodings of the roots, sorted as unsigned bytes and concatenated) and the roots' fingerprints.
 * Two bundles with the same roots in another order have the same version.
 *
 * @param version the version string
 * @param roots the roots
 * @param fingerprints SHA-256 fingerprints of the roots (lowercase hex)
 */
public record BundleVersion(String version, TrustBundle roots, Set<String> fingerprints) {

    public BundleVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(roots, "roots");
        fingerprints = Set.copyOf(fingerprints);
    }

    /** The version of {@code roots}. */
    public static BundleVersion of(TrustBundle roots) {
        List<byte[]> ders = new ArrayList<>();
        Set<String> fps = new TreeSet<>();
        for (X509Certificate r : roots.roots()) {
            try {
                ders.add(r.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode a root certificate", e);
            }
            fps.add(Certs.fingerprint(r));
        }
        ders.sort(Arrays::compareUnsigned);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ders.forEach(sha::update);
            return new BundleVersion(HexFormat.of().formatHex(sha.digest()), roots, fps);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether this version holds the root with this fingerprint. */
    public boolean contains(String fingerprint) {
        return fingerprints.contains(fingerprint.toLowerCase(java.util.Locale.ROOT));
    }
}
