package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A directory of CA files as the Makefile lays them out: a root directory ({@code root-cert.pem},
 * {@code root-key.pem}) or an intermediate directory in Istio's plug-in form ({@code ca-cert.pem},
 * {@code ca-key.pem}, {@code cert-chain.pem}, {@code root-cert.pem}).
 *
 * @param signer the signing certificate and its key
 * @param chainToRoot the signer's certificate followed by its issuers up to and including the root
 * @param roots the trust bundle (root-cert.pem), which may hold several roots
 */
record CaDirectory(CaSigner signer, List<X509Certificate> chainToRoot, List<X509Certificate> roots) {
    static final String ROOT_CERT = "root-cert.pem";
    static final String ROOT_KEY = "root-key.pem";
    static final String CA_CERT = "ca-cert.pem";
    static final String CA_KEY = "ca-key.pem";
    static final String CERT_CHAIN = "cert-chain.pem";

    /** Loads a root CA directory; missing files are a usage error naming {@code setting}. */
    static CaDirectory loadRoot(CommandSpec spec, String setting, Path dir) throws CertsFailure {
        requireFiles(spec, setting, dir, List.of(ROOT_CERT, ROOT_KEY),
                "a root CA directory holds root-cert.pem and root-key.pem (create one with 'meshid certs root-ca --out "
                        + dir + "')");
        X509Certificate root = readCertificate(dir.resolve(ROOT_CERT));
        CaSigner signer = signer(root, dir.resolve(ROOT_KEY));
        return new CaDirectory(signer, List.of(root), List.of(root));
    }

    /**
     * Loads an intermediate CA directory (Istio's plug-in files), or a root directory if it holds
     * {@code root-key.pem} and no {@code ca-key.pem}. Without {@code cert-chain.pem} the chain is
     * {@code ca-cert.pem} followed by the root that signed it.
     */
    static CaDirectory loadSigning(CommandSpec spec, String setting, Path dir) throws CertsFailure {
        if (!Files.exists(dir.resolve(CA_KEY)) && Files.exists(dir.resolve(ROOT_KEY))) {
            return loadRoot(spec, setting, dir);
        }
        requireFiles(spec, setting, dir, List.of(CA_CERT, CA_KEY, ROOT_CERT),
                "a CA directory holds ca-cert.pem, ca-key.pem, root-cert.pem and optionally cert-chain.pem"
                        + " (create one with 'meshid certs intermediate --out " + dir + "')");
        X509Certificate ca = readCertificate(dir.resolve(CA_CERT));
        List<X509Certificate> roots = readCertificates(dir.resolve(ROOT_CERT));
        List<X509Certificate> chain;
        if (Files.exists(dir.resolve(CERT_CHAIN))) {
            chain = readCertificates(dir.resolve(CERT_CHAIN));
            if (!chain.get(0).equals(ca)) {
                throw new CertsFailure(dir.resolve(CERT_CHAIN) + " does not start with " + CA_CERT
                        + " " + Certs.describe(ca)
                        + "; it must hold ca-cert.pem first, then its issuers up to the root");
            }
        } else {
            chain = new ArrayList<>(List.of(ca));
            roots.stream().filter(r -> !r.equals(ca) && Certs.issuedBy(ca, r)).findFirst().ifPresent(chain::add);
        }
        return new CaDirectory(signer(ca, dir.resolve(CA_KEY)), List.copyOf(chain), roots);
    }

    private static void requireFiles(CommandSpec spec, String setting, Path dir, List<String> names, String help) {
        if (!Files.isDirectory(dir)) {
            throw Usage.invalid(spec, setting, dir, "it is not a directory; " + help);
        }
        List<String> missing = names.stream().filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
        if (!missing.isEmpty()) {
            throw Usage.invalid(spec, setting, dir, "missing " + String.join(", ", missing) + "; " + help);
        }
    }

    private static CaSigner signer(X509Certificate cert, Path keyFile) throws CertsFailure {
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(text(keyFile));
        } catch (PkiException e) {
            throw new CertsFailure(keyFile + ": " + e.getMessage());
        }
        try {
            return CaSigner.of(cert, key);
        } catch (PkiException e) {
            throw new CertsFailure(keyFile.getParent() + ": " + e.getMessage());
        }
    }

    /** The file's text; the message of a failure already names the file. */
    static String text(Path file) throws CertsFailure {
        try {
            return Pem.readFile(file);
        } catch (PkiException e) {
            throw new CertsFailure(e.getMessage());
        }
    }

    static X509Certificate readCertificate(Path file) throws CertsFailure {
        List<X509Certificate> certs = readCertificates(file);
        if (certs.size() != 1) {
            throw new CertsFailure(file + ": expected exactly one certificate, found " + certs.size());
        }
        return certs.get(0);
    }

    static List<X509Certificate> readCertificates(Path file) throws CertsFailure {
        try {
            return Pem.readCertificates(text(file));
        } catch (PkiException e) {
            throw new CertsFailure(file + ": " + e.getMessage());
        }
    }
}
