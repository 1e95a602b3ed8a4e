package dev.meshid.ca.rotation;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.Certs;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the rotation step from the CA's material and what it has issued; pure (time comes in as
 * {@code now}).
 *
 * <p>When no valid leaf depends on a root: leaves never outlive their root, so never after its NotAfter;
 * before that, not before the latest NotAfter issued under it, and — because that record is lost on restart
 * — not before {@code ledgerSince + maxTtl} (a leaf issued just before the restart); while the signer chains
 * to the root, not before {@code now + maxTtl} (it keeps issuing).
 */
public final class RotationModel {
    private RotationModel() {
    }

    /**
     * @param material the signing material in use (signer, intermediates, trust bundle)
     * @param issued latest NotAfter issued under each root fingerprint since {@code ledgerSince}
     * @param ledgerSince when the CA started recording
     * @param maxTtl the longest lifetime the CA issues
     * @param now the time of evaluation
     */
    public static RotationState evaluate(KeyCertBundle material, Map<String, Instant> issued, Instant ledgerSince,
                                         Duration maxTtl, Instant now) {
        X509Certificate signingRoot = material.root();
        String signingFp = Certs.fingerprint(signingRoot);
        List<RootStatus> roots = new ArrayList<>();
        for (X509Certificate r : material.roots().roots()) {
            String fp = Certs.fingerprint(r);
            boolean signing = fp.equals(signingFp);
            roots.add(new RootStatus(fp, Certs.subject(r), r.getNotBefore().toInstant(), r.getNotAfter().toInstant(),
                    signing, noLeafDependsAfter(r.getNotAfter().toInstant(), Optional.ofNullable(issued.get(fp)),
                            ledgerSince, maxTtl, signing, now)));
        }
        // On a tie the signer's root does not count as the newest: claiming a finished switch must be certain.
        RootStatus newest = roots.stream().max(Comparator.comparing(RootStatus::notBefore)
                .thenComparing(RootStatus::notAfter).thenComparing(r -> !r.signing())).orElseThrow();
        RotationStep step;
        if (roots.size() == 1) {
            step = RotationStep.NONE;
        } else if (newest.signing()) {
            step = RotationStep.SIGNER_SWITCHED;
        } else {
            step = RotationStep.NEW_ROOT_ADDED;
        }
        Optional<Instant> safe = step != RotationStep.SIGNER_SWITCHED ? Optional.empty() : roots.stream()
                .filter(r -> !r.signing()).map(RootStatus::noLeafDependsAfter).max(Comparator.naturalOrder());
        return new RotationState(now, roots, signer(material), step, safe);
    }

    /** See the class comment. */
    static Instant noLeafDependsAfter(Instant rootNotAfter, Optional<Instant> latestIssued, Instant ledgerSince,
                                      Duration maxTtl, boolean signing, Instant now) {
        Instant t = ledgerSince.plus(maxTtl);
        if (latestIssued.isPresent() && latestIssued.get().isAfter(t)) {
            t = latestIssued.get();
        }
        if (signing && now.plus(maxTtl).isAfter(t)) {
            t = now.plus(maxTtl);
        }
        return t.isAfter(rootNotAfter) ? rootNotAfter : t;
    }

    private static SignerStatus signer(KeyCertBundle material) {
        List<String> chain = new ArrayList<>();
        X509Certificate cert = material.signer().certificate();
        chain.add(Certs.fingerprint(cert));
        Instant notAfter = cert.getNotAfter().toInstant();
        for (X509Certificate c : material.intermediates()) {
            chain.add(Certs.fingerprint(c));
            notAfter = earlier(notAfter, c.getNotAfter().toInstant());
        }
        X509Certificate root = material.root();
        if (!root.equals(cert)) {
            chain.add(Certs.fingerprint(root));
        }
        notAfter = earlier(notAfter, root.getNotAfter().toInstant());
        return new SignerStatus(Certs.subject(cert), chain, notAfter, Certs.fingerprint(root));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
