package dev.meshid.pki.bundle;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.pem.PrivateDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plug-in signing CA: the signer (certificate and key), the intermediates between it and a root, and the
 * trust bundle. Checked when constructed: the signer, each intermediate in turn, and finally a root of the
 * bundle issue one another (names and signatures), else {@link IllegalArgumentException}. {@link #fromPem}
 * and {@link #load} check much more (see {@link PluginBundleReader}) and name the file at fault.
 *
 * @param signer the signing CA
 * @param intermediates the signing certificate's chain between it and the root, excluding both; empty
 *     when the signer is a root or is signed directly by one
 * @param roots the trust bundle, which holds the root the chain reaches and possibly others
 */
public record KeyCertBundle(CaSigner signer, List<X509Certificate> intermediates, TrustBundle roots) {

    public KeyCertBundle {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(roots, "roots");
        intermediates = List.copyOf(intermediates);
        if (rootOf(signer.certificate(), intermediates, roots) == null) {
            throw new IllegalArgumentException("the chain of the signing CA " + Certs.describe(signer.certificate())
                    + " does not reach any root of the trust bundle");
        }
    }

    /**
     * Reads plug-in CA files from a directory, in the Istio form (ca-cert.pem, ca-key.pem, root-cert.pem,
     * cert-chain.pem) or the Kubernetes TLS form (tls.crt, tls.key, ca.crt), and checks them at
     * {@code clock.instant()}. The chain file (cert-chain.pem, tls.crt) starts with the signing certificate,
     * then its intermediates, and may end with the root, which must then be in the roots file; roots
     * other than the one the chain reaches may be in the roots file too (root rotation).
     */
    public static KeyCertBundle load(Path dir, Clock clock) throws PkiException {
        if (!Files.isDirectory(dir)) {
            throw new PkiException(dir + ": not a directory; expected the plug-in CA files there");
        }
        Map<String, String> files = new HashMap<>();
        for (String name : PluginForm.allFileNames()) {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                files.put(name, Pem.readFile(p));
            }
        }
        try {
            return fromPem(files, clock);
        } catch (PkiException e) {
            throw new PkiException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Same as {@link #load}, from file contents keyed by file name (a Kubernetes secret's data, a Vault
     * response). Names it does not know are ignored.
     */
    public static KeyCertBundle fromPem(Map<String, String> files, Clock clock) throws PkiException {
        return PluginBundleReader.read(files, clock.instant());
    }

    /** The root the signer's chain reaches (the signer itself when it is a root). */
    public X509Certificate root() {
        return rootOf(signer.certificate(), intermediates, roots);
    }

    /** What a CA response carries before the roots: the signing certificate unless it is a root, then the intermediates. */
    public List<X509Certificate> responseChainWithoutRoots() {
        List<X509Certificate> out = new ArrayList<>();
        if (!roots.contains(signer.certificate())) {
            out.add(signer.certificate());
        }
        out.addAll(intermediates);
        return out;
    }

    /**
     * The four Istio plug-in files: ca-cert.pem, ca-key.pem (PKCS#8), cert-chain.pem (ca-cert, the
     * intermediates, then the root, each once) and root-cert.pem (all roots).
     */
    public Map<String, String> toPluginFiles() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(signer.certificate());
        chain.addAll(intermediates);
        X509Certificate root = root();
        if (!root.equals(signer.certificate())) {
            chain.add(root);
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(PluginForm.CA_CERT, Pem.write(signer.certificate()));
        files.put(PluginForm.CA_KEY, Pem.writePrivateKey(signer.key()));
        files.put(PluginForm.CERT_CHAIN, Pem.write(chain));
        files.put(PluginForm.ROOT_CERT, roots.toPem());
        return files;
    }

    /**
     * Writes {@link #toPluginFiles()} into {@code dir}, replacing existing files; the key file is created
     * owner-only (0600) before any byte is written, where the file system supports POSIX permissions.
     */
    public void writePluginFiles(Path dir) throws IOException {
        PrivateDirectory.create(dir);
        for (Map.Entry<String, String> e : toPluginFiles().entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (e.getKey().equals(PluginForm.CA_KEY)) {
                Files.deleteIfExists(p);
                try {
                    Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(p);
                }
            }
            Files.writeString(p, e.getValue(), StandardCharsets.US_ASCII);
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "KeyCertBundle[signer=" + signer + ", intermediates=" + intermediates.size() + ", roots="
                + roots.roots().size() + "]";
    }

    static X509Certificate rootOf(X509Certificate signingCert, List<X509Certificate> intermediates,
            TrustBundle roots) {
        if (intermediates.isEmpty() && roots.contains(signingCert)) {
            return signingCert;
        }
        X509Certificate current = signingCert;
        for (X509Certificate next : intermediates) {
            if (!Certs.issuedBy(current, next)) {
                return null;
            }
            current = next;
        }
        X509Certificate last = current;
        return roots.roots().stream().filter(r -> Certs.issuedBy(last, r)).findFirst().orElse(null);
    }
}
