package dev.meshid.pki.bundle;

import dev.meshid.pki.PkiException;
import java.util.List;
import java.util.Set;

/**
 * The two accepted layouts of plug-in CA files (PROTOCOLS.md §4). A partial set of either is an error
 * naming the missing files, never a silent fallback to the other form or to a self-signed CA.
 */
public enum PluginForm {
    /** Istio's {@code cacerts}: ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem. */
    ISTIO("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"),
    /** A Kubernetes TLS secret: tls.crt (signing cert then its chain), tls.key, ca.crt (the roots). */
    KUBERNETES_TLS("tls.crt", "tls.key", "ca.crt", "tls.crt");

    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";

    private final String signingCert;
    private final String key;
    private final String roots;
    private final String chain;

    PluginForm(String signingCert, String key, String roots, String chain) {
        this.signingCert = signingCert;
        this.key = key;
        this.roots = roots;
        this.chain = chain;
    }

    public String signingCertFile() {
        return signingCert;
    }

    public String keyFile() {
        return key;
    }

    public String rootsFile() {
        return roots;
    }

    public String chainFile() {
        return chain;
    }

    /** The distinct files this form needs. */
    public List<String> files() {
        return List.of(signingCert, key, roots, chain).stream().distinct().toList();
    }

    /** Every file name either form may use. */
    public static List<String> allFileNames() {
        return List.of(CA_CERT, CA_KEY, ROOT_CERT, CERT_CHAIN, "tls.crt", "tls.key", "ca.crt");
    }

    /**
     * The form a set of file names is in: the Istio form if complete, else the Kubernetes TLS form if
     * complete, else an exception naming what is missing.
     */
    public static PluginForm detect(Set<String> present) throws PkiException {
        for (PluginForm f : values()) {
            if (present.containsAll(f.files())) {
                return f;
            }
        }
        List<String> found = allFileNames().stream().filter(present::contains).toList();
        if (found.isEmpty()) {
            throw new PkiException("no plug-in CA files found; " + bothForms());
        }
        PluginForm closest = ISTIO.found(present) >= KUBERNETES_TLS.found(present) ? ISTIO : KUBERNETES_TLS;
        List<String> missing = closest.files().stream().filter(n -> !present.contains(n)).toList();
        throw new PkiException("incomplete plug-in CA files: missing " + String.join(", ", missing) + " (found "
                + String.join(", ", found) + "); " + bothForms() + "; a partial set is never used");
    }

    private long found(Set<String> present) {
        return files().stream().filter(present::contains).count();
    }

    static String bothForms() {
        return "provide either ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem (Istio form)"
                + " or tls.crt, tls.key and ca.crt (Kubernetes TLS form)";
    }
}
