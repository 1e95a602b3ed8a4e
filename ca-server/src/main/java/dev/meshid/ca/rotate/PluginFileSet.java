package dev.meshid.ca.rotate;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.PluginForm;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.pem.Pem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plug-in CA files read and written in the form they came in (Istio's four files or a Kubernetes TLS secret). */
final class PluginFileSet {
    private PluginFileSet() {
    }

    /** The verified material, as the CA would load it at {@code now}. */
    static KeyCertBundle parse(Map<String, String> files, Instant now, String where) throws RotationRefused {
        try {
            return KeyCertBundle.fromPem(files, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        } catch (PkiException e) {
            throw new RotationRefused(where + ": " + e.getMessage(), e);
        }
    }

    static PluginForm form(Map<String, String> files, String where) throws RotationRefused {
        try {
            return PluginForm.detect(files.keySet());
        } catch (PkiException e) {
            throw new RotationRefused(where + ": " + e.getMessage(), e);
        }
    }

    /** {@code files} with the roots file replaced by {@code roots}; other entries are kept as they are. */
    static Map<String, String> withRoots(Map<String, String> files, PluginForm form, TrustBundle roots) {
        Map<String, String> out = new LinkedHashMap<>(files);
        out.put(form.rootsFile(), roots.toPem());
        return out;
    }

    /** {@code material} written in {@code form}, keeping unrelated entries of {@code base}. */
    static Map<String, String> write(KeyCertBundle material, PluginForm form, Map<String, String> base) {
        Map<String, String> out = new LinkedHashMap<>(base);
        if (form == PluginForm.ISTIO) {
            out.putAll(material.toPluginFiles());
            return out;
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(material.signer().certificate());
        chain.addAll(material.intermediates());
        out.put(form.chainFile(), Pem.write(chain));
        out.put(form.keyFile(), Pem.writePrivateKey(material.signer().key()));
        out.put(form.rootsFile(), material.roots().toPem());
        return out;
    }
}
