package dev.meshid.pki.bundle;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and checks plug-in CA files, in this order, each failure naming the file at fault: all files
 * present; each parses; the signing certificate is a CA with keyCertSign; the key matches it; the chain
 * file starts with the signing certificate and holds no certificate twice; the chain's trailing root is in
 * the roots file; every certificate is within its validity; the chain reaches a root; PKIX accepts it.
 */
final class PluginBundleReader {
    private PluginBundleReader() {
    }

    static KeyCertBundle read(Map<String, String> files, Instant now) throws PkiException {
        PluginForm form = PluginForm.detect(files.keySet());
        String certFile = form.signingCertFile();
        String chainFile = form.chainFile();
        String rootsFile = form.rootsFile();

        List<X509Certificate> chain = certs(files, chainFile);
        X509Certificate caCert;
        if (form == PluginForm.ISTIO) {
            List<X509Certificate> ca = certs(files, certFile);
            if (ca.size() != 1) {
                throw new PkiException(certFile + " holds " + ca.size() + " certificates; expected exactly one,"
                        + " the signing CA (its chain belongs in " + chainFile + ")");
            }
            caCert = ca.get(0);
        } else {
            caCert = chain.get(0);
        }
        PrivateKey key = key(files, form.keyFile());
        TrustBundle roots;
        try {
            roots = TrustBundle.fromPem(files.get(rootsFile));
        } catch (PkiException e) {
            throw new PkiException(rootsFile + ": " + e.getMessage(), e);
        }

        String problem = CaSigner.caProblem(caCert);
        if (problem != null) {
            throw new PkiException(certFile + " " + problem);
        }
        if (!Keys.matches(key, caCert.getPublicKey())) {
            throw new PkiException(form.keyFile() + " does not match " + certFile + " " + Certs.describe(caCert)
                    + ": the private key belongs to another certificate; provide the key " + certFile
                    + " was issued for");
        }
        if (!chain.get(0).equals(caCert)) {
            throw new PkiException(chainFile + " must start with " + certFile + " " + Certs.describe(caCert)
                    + ", but its first certificate is " + Certs.describe(chain.get(0)));
        }
        checkDuplicates(chain, chainFile);

        List<X509Certificate> rest = new ArrayList<>(chain.subList(1, chain.size()));
        if (!rest.isEmpty() && Certs.isSelfSigned(rest.get(rest.size() - 1))) {
            X509Certificate last = rest.remove(rest.size() - 1);
            if (!roots.contains(last)) {
                throw new PkiException(chainFile + " ends with the root " + Certs.describe(last) + ", which is not in "
                        + rootsFile + "; add that root to " + rootsFile + " or fix " + chainFile);
            }
        }
        for (int i = 0; i < rest.size(); i++) {
            X509Certificate c = rest.get(i);
            String which = chainFile + ": intermediate #" + (i + 1) + " " + Certs.describe(c);
            if (Certs.isSelfSigned(c)) {
                throw new PkiException(which + " is a self-signed root in the middle of the chain; list the root"
                        + " last, once");
            }
            String p = CaSigner.caProblem(c);
            if (p != null) {
                throw new PkiException(which + " " + p);
            }
        }
        if (Certs.isSelfSigned(caCert) && !roots.contains(caCert)) {
            throw new PkiException(certFile + " " + Certs.describe(caCert) + " is a self-signed root but is not in "
                    + rootsFile + "; add it there");
        }

        checkValidity(caCert, certFile + ": the signing CA certificate", now);
        for (int i = 0; i < rest.size(); i++) {
            checkValidity(rest.get(i), chainFile + ": intermediate #" + (i + 1), now);
        }
        X509Certificate last = rest.isEmpty() ? caCert : rest.get(rest.size() - 1);
        X509Certificate root = roots.contains(last) ? last
                : roots.roots().stream().filter(r -> Certs.issuedBy(last, r)).findFirst().orElse(null);
        if (root == null) {
            throw new PkiException(chainFile + " does not reach a root in " + rootsFile + ": the issuer \""
                    + last.getIssuerX500Principal().getName() + "\" of " + Certs.describe(last)
                    + " is not one of " + rootsFile + "'s roots " + rootNames(roots)
                    + " (or a root of that name has a different key)");
        }
        checkValidity(root, rootsFile + ": the root", now);
        if (root != caCert) {
            List<X509Certificate> path = new ArrayList<>();
            path.add(caCert);
            path.addAll(rest);
            try {
                ChainVerifier.verify(path, List.of(root), now);
            } catch (PkiException e) {
                throw new PkiException(chainFile + ": " + e.getMessage(), e);
            }
        }
        return new KeyCertBundle(new CaSigner(caCert, key), rest, roots);
    }

    private static void checkDuplicates(List<X509Certificate> chain, String chainFile) throws PkiException {
        for (int i = 0; i < chain.size(); i++) {
            for (int j = i + 1; j < chain.size(); j++) {
                if (chain.get(i).equals(chain.get(j))) {
                    X509Certificate c = chain.get(i);
                    String what = Certs.isSelfSigned(c) ? "root duplicated" : "certificate duplicated";
                    throw new PkiException(what + " in " + chainFile + ": " + Certs.describe(c) + " is PEM block #"
                            + (i + 1) + " and again block #" + (j + 1) + "; list each certificate once"
                            + " (a repeated root breaks chain handling, see Istio issue #39001)");
                }
            }
        }
    }

    private static void checkValidity(X509Certificate c, String which, Instant now) throws PkiException {
        Instant notAfter = c.getNotAfter().toInstant();
        Instant notBefore = c.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new PkiException(which + " " + Certs.describe(c) + " expired at " + notAfter + " (now " + now
                    + "); replace it with a current certificate");
        }
        if (now.isBefore(notBefore)) {
            throw new PkiException(which + " " + Certs.describe(c) + " is not yet valid: NotBefore " + notBefore
                    + " (now " + now + "); check the clock");
        }
    }

    private static List<X509Certificate> certs(Map<String, String> files, String name) throws PkiException {
        try {
            return Pem.readCertificates(files.get(name));
        } catch (PkiException e) {
            throw new PkiException(name + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey key(Map<String, String> files, String name) throws PkiException {
        try {
            return Pem.readPrivateKey(files.get(name));
        } catch (PkiException e) {
            throw new PkiException(name + ": " + e.getMessage(), e);
        }
    }

    private static String rootNames(TrustBundle roots) {
        return roots.roots().stream().map(r -> "\"" + Certs.subject(r) + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
