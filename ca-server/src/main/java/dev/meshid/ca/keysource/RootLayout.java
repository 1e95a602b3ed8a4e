package dev.meshid.ca.keysource;

import dev.meshid.pki.bundle.PluginForm;
import dev.meshid.pki.pem.Pem;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a self-signed root, its key and the roots still trusted are laid out as files (or secret keys). */
public enum RootLayout {
    /**
     * meshid's own: {@code root-key.pem} (0600) and {@code root-cert.pem}, which holds the current root first,
     * then older roots that are still trusted after a re-issue. While a rotation waits for agents, the next
     * root and its key sit in {@code next-root-cert.pem} and {@code next-root-key.pem} (0600).
     */
    MESHID("root-key.pem", "root-cert.pem"),
    /**
     * Istio's {@code istio-ca-secret} / plug-in layout: {@code ca-cert.pem} (the root), {@code ca-key.pem},
     * {@code cert-chain.pem} (the root again) and {@code root-cert.pem} (all trusted roots, current first).
     * While a rotation waits for agents, the next root and its key sit in {@code next-ca-cert.pem} and
     * {@code next-ca-key.pem}, which Istio ignores.
     */
    ISTIO(PluginForm.CA_KEY, PluginForm.CA_CERT, PluginForm.CERT_CHAIN, PluginForm.ROOT_CERT);

    static final String MESHID_KEY = "root-key.pem";
    static final String MESHID_CERT = "root-cert.pem";
    static final String ISTIO_NEXT_KEY = "next-ca-key.pem";
    static final String ISTIO_NEXT_CERT = "next-ca-cert.pem";
    static final String MESHID_NEXT_KEY = "next-root-key.pem";
    static final String MESHID_NEXT_CERT = "next-root-cert.pem";

    private final List<String> files;

    RootLayout(String... files) {
        this.files = List.of(files);
    }

    /** The names this layout uses; the first is the private key. */
    public List<String> fileNames() {
        return files;
    }

    /** The file holding the private key (written owner-only). */
    public String keyFile() {
        return files.get(0);
    }

    /** The key of the next root while a rotation is under way (optional; written owner-only). */
    public String nextKeyFile() {
        return this == MESHID ? MESHID_NEXT_KEY : ISTIO_NEXT_KEY;
    }

    /** The certificate of the next root while a rotation is under way (optional). */
    public String nextCertFile() {
        return this == MESHID ? MESHID_NEXT_CERT : ISTIO_NEXT_CERT;
    }

    /** Entries that are present only during a rotation, key first. */
    public List<String> optionalNames() {
        return List.of(nextKeyFile(), nextCertFile());
    }

    /** The files for a root, its key and the other roots still trusted (the root itself is listed first). */
    Map<String, String> encode(PrivateKey key, X509Certificate root, List<X509Certificate> olderRoots) {
        List<X509Certificate> trusted = new ArrayList<>();
        trusted.add(root);
        olderRoots.stream().filter(r -> !r.equals(root)).forEach(trusted::add);
        Map<String, String> out = new LinkedHashMap<>();
        if (this == MESHID) {
            out.put(MESHID_KEY, Pem.writePrivateKey(key));
            out.put(MESHID_CERT, Pem.write(trusted));
        } else {
            out.put(PluginForm.CA_KEY, Pem.writePrivateKey(key));
            out.put(PluginForm.CERT_CHAIN, Pem.write(root));
            out.put(PluginForm.ROOT_CERT, Pem.write(trusted));
            out.put(PluginForm.CA_CERT, Pem.write(root));
        }
        return out;
    }

    /**
     * The stored files as Istio plug-in files for {@code KeyCertBundle.fromPem}. An Istio-made
     * {@code istio-ca-secret} leaves {@code cert-chain.pem} (and sometimes {@code root-cert.pem}) empty; for a
     * self-signed root both are the root itself.
     */
    Map<String, String> toPluginFiles(Map<String, String> stored) {
        Map<String, String> out = new LinkedHashMap<>();
        if (this == MESHID) {
            String certs = stored.getOrDefault(MESHID_CERT, "");
            String first = firstBlock(certs);
            putIfPresent(out, PluginForm.CA_KEY, stored.get(MESHID_KEY));
            putIfPresent(out, PluginForm.CA_CERT, first);
            putIfPresent(out, PluginForm.CERT_CHAIN, first);
            putIfPresent(out, PluginForm.ROOT_CERT, certs);
        } else {
            String caCert = stored.get(PluginForm.CA_CERT);
            putIfPresent(out, PluginForm.CA_KEY, stored.get(PluginForm.CA_KEY));
            putIfPresent(out, PluginForm.CA_CERT, caCert);
            putIfPresent(out, PluginForm.CERT_CHAIN, orElse(stored.get(PluginForm.CERT_CHAIN), caCert));
            putIfPresent(out, PluginForm.ROOT_CERT, orElse(stored.get(PluginForm.ROOT_CERT), caCert));
        }
        return out;
    }

    private static String orElse(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }

    /** The first PEM block of the text (the current root), or the text itself if it has no end marker. */
    private static String firstBlock(String pem) {
        String end = "-----END CERTIFICATE-----";
        int i = pem.indexOf(end);
        return i < 0 ? pem : pem.substring(0, i + end.length()) + "\n";
    }
}
