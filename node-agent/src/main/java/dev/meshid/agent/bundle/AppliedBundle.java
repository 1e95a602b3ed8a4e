package dev.meshid.agent.bundle;

import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A trust bundle from the CA's bundle stream that passed {@link BundleCheck}.
 *
 * @param version the CA's version string (hex SHA-256 over the sorted DER roots)
 * @param roots the roots, each a self-signed CA certificate
 */
public record AppliedBundle(String version, TrustBundle roots) {

    public AppliedBundle {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(roots, "roots");
    }

    /** The root certificates. */
    public List<X509Certificate> certificates() {
        return roots.roots();
    }

    /** SHA-256 fingerprints of the roots, for debug output and logs. */
    public List<String> fingerprints() {
        return certificates().stream().map(Certs::fingerprint).toList();
    }

    /** The roots as PEM. */
    public byte[] pem() {
        return roots.toPem().getBytes(StandardCharsets.US_ASCII);
    }
}
