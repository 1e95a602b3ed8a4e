package dev.meshid.ca.rotate;

import dev.meshid.ca.bundle.AgentView;
import dev.meshid.ca.rotation.RootStatus;
import dev.meshid.ca.rotation.RotationReport;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.PluginForm;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.Certs;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The three steps of a root rotation on plug-in CA files: each takes the current files (and what the CA
 * reports) and returns the files to write, or refuses with what to do. Pure: time comes in as {@code now}.
 */
public final class RotationSteps {
    private RotationSteps() {
    }

    /** Step 1: the bundle becomes old ∪ {@code newRoot}; signing is unchanged. */
    public static Map<String, String> addRoot(Map<String, String> current, X509Certificate newRoot, Instant now)
            throws RotationRefused {
        PluginForm form = PluginFileSet.form(current, "current CA files");
        KeyCertBundle material = PluginFileSet.parse(current, now, "current CA files");
        String what = "the new root " + Certs.describe(newRoot);
        if (newRoot.getBasicConstraints() < 0) {
            throw new RotationRefused(what + " is not a CA certificate (basicConstraints cA=false); pass the new "
                    + "root CA's certificate, e.g. the root-cert.pem that 'meshid certs root-ca' wrote");
        }
        if (!Certs.isSelfSigned(newRoot)) {
            throw new RotationRefused(what + " is not self-signed (issuer \"" + newRoot.getIssuerX500Principal().getName()
                    + "\"); pass the root itself, not an intermediate");
        }
        if (!now.isBefore(newRoot.getNotAfter().toInstant()) || now.isBefore(newRoot.getNotBefore().toInstant())) {
            throw new RotationRefused(what + " is not valid now (" + now + "); make a new root");
        }
        Instant signerEnd = material.signer().notAfter();
        if (!newRoot.getNotAfter().toInstant().isAfter(signerEnd)) {
            throw new RotationRefused(what + " expires before the current signing CA (" + signerEnd
                    + "); a rotation must move to a root that outlives the current signer: make a longer-lived root");
        }
        if (material.roots().contains(newRoot)) {
            throw new RotationRefused(what + " is already in the trust bundle (fingerprint "
                    + Certs.fingerprint(newRoot) + "); next step: wait for every agent, then 'meshid ca rotate switch'");
        }
        TrustBundle union = material.roots().merge(new TrustBundle(List.of(newRoot)));
        return PluginFileSet.withRoots(current, form, union);
    }

    /**
     * Step 2: signing moves to the material in {@code from} (signing cert, key, chain); the bundle stays the
     * current one, which must already hold the root the new chain reaches, and every connected agent must
     * have applied a bundle with that root (unless {@code force}, which only warns).
     */
    public static Map<String, String> switchSigner(Map<String, String> current, Map<String, String> from,
                                                   Optional<RotationReport> ca, boolean force, Instant now,
                                                   Consumer<String> warn) throws RotationRefused {
        PluginForm form = PluginFileSet.form(current, "current CA files");
        KeyCertBundle material = PluginFileSet.parse(current, now, "current CA files");
        PluginForm fromForm = PluginFileSet.form(withRootsIfMissing(from, material.roots()), "new CA files");
        Map<String, String> candidate = PluginFileSet.withRoots(from, fromForm, material.roots());
        KeyCertBundle next;
        try {
            next = PluginFileSet.parse(candidate, now, "new CA files");
        } catch (RotationRefused e) {
            throw new RotationRefused("the new signing CA does not chain to a root already in the trust bundle, or "
                    + "is not usable (" + e.getMessage() + "); add its root first with 'meshid ca rotate add-root'", e);
        }
        if (Certs.fingerprint(next.signer().certificate()).equals(Certs.fingerprint(material.signer().certificate()))) {
            throw new RotationRefused("the CA already signs with " + Certs.describe(next.signer().certificate())
                    + "; nothing to switch");
        }
        String newRootFp = Certs.fingerprint(next.root());
        if (ca.isEmpty()) {
            refuseOrWarn(force, warn, "cannot check that every agent trusts the new root without the CA's report; "
                    + "pass --ca-http HOST:PORT (the CA's HTTP port)");
        } else {
            List<AgentView> lacking = ca.get().lacking(newRootFp);
            if (!lacking.isEmpty()) {
                refuseOrWarn(force, warn, lacking.size() + " of " + ca.get().agentsConnected() + " connected agent(s) "
                        + "have not acknowledged a trust bundle with the new root " + newRootFp.substring(0, 16)
                        + "…: " + lacking.stream().map(a -> a.identity() + " (" + a.peer() + ")")
                        .collect(Collectors.joining(", ")) + "; wait until they have (see 'meshid ca rotate status')");
            }
        }
        return PluginFileSet.write(next, form, current);
    }

    /** Step 3: the root with {@code fingerprint} leaves the bundle. */
    public static Map<String, String> removeRoot(Map<String, String> current, String fingerprint,
                                                 Optional<RotationReport> ca, Instant now) throws RotationRefused {
        PluginForm form = PluginFileSet.form(current, "current CA files");
        KeyCertBundle material = PluginFileSet.parse(current, now, "current CA files");
        String fp = fingerprint.toLowerCase(java.util.Locale.ROOT).replace(":", "");
        X509Certificate root = material.roots().roots().stream().filter(r -> Certs.fingerprint(r).equals(fp))
                .findFirst().orElseThrow(() -> new RotationRefused("no root with SHA-256 fingerprint " + fp
                        + " in the trust bundle; 'meshid ca rotate status' lists the roots"));
        if (Certs.fingerprint(material.root()).equals(fp)) {
            throw new RotationRefused("the signing CA " + Certs.describe(material.signer().certificate())
                    + " still chains to " + Certs.describe(root) + "; switch signing first ('meshid ca rotate switch')");
        }
        if (ca.isEmpty()) {
            throw new RotationRefused("cannot tell whether a leaf issued under " + Certs.describe(root)
                    + " is still valid without the CA's report; pass --ca-http HOST:PORT (the CA's HTTP port)");
        }
        Optional<RootStatus> status = ca.get().state().root(fp);
        if (status.isEmpty()) {
            throw new RotationRefused("the CA does not have " + Certs.describe(root) + " in the bundle it uses; "
                    + "wait until it has loaded these files, then retry");
        }
        Instant safe = status.get().noLeafDependsAfter();
        if (now.isBefore(safe)) {
            throw new RotationRefused("a leaf issued under " + Certs.describe(root) + " may be valid until " + safe
                    + "; it becomes safe to remove then — retry after " + safe);
        }
        return PluginFileSet.withRoots(current, form, material.roots().without(root));
    }

    private static void refuseOrWarn(boolean force, Consumer<String> warn, String problem) throws RotationRefused {
        if (!force) {
            throw new RotationRefused(problem + "; or pass --force to switch anyway (agents without the new root "
                    + "will fail handshakes with workloads that get new certificates)");
        }
        warn.accept("WARNING: --force: " + problem);
    }

    private static Map<String, String> withRootsIfMissing(Map<String, String> from, TrustBundle roots) {
        Map<String, String> out = new LinkedHashMap<>(from);
        if (!out.containsKey(PluginForm.ROOT_CERT) && !out.containsKey("ca.crt")) {
            out.put(out.containsKey("tls.crt") ? "ca.crt" : PluginForm.ROOT_CERT, roots.toPem());
        }
        return out;
    }
}
