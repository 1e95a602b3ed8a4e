package dev.meshid.agent.bundle;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a {@link TrustBundle} from the CA may replace the agent's roots: every element one PEM
 * root (a self-signed CA certificate, no duplicates), and the set still holds the root that issued the
 * agent's current certificate — a bundle without it would make the agent's own peers reject it, so it is
 * refused and the last good bundle stays. A pure function of its inputs.
 */
public final class BundleCheck {
    private BundleCheck() {
    }

    /**
     * @param message the CA's message
     * @param current the agent's current certificate, if it has one
     * @throws BundleRejected saying what is wrong, for the ack's {@code error} and the log
     */
    public static AppliedBundle check(TrustBundle message, Optional<IssuedCertificate> current)
            throws BundleRejected {
        if (message.getRootsPemCount() == 0) {
            throw new BundleRejected("bundle " + message.getVersion() + " holds no root; keeping the last good one");
        }
        List<X509Certificate> roots = new ArrayList<>();
        for (int i = 0; i < message.getRootsPemCount(); i++) {
            try {
                List<X509Certificate> certs = Pem.readCertificates(message.getRootsPem(i));
                if (certs.size() != 1) {
                    throw new BundleRejected("roots_pem[" + i + "] holds " + certs.size()
                            + " certificates; each element must be exactly one root");
                }
                roots.add(certs.get(0));
            } catch (PkiException e) {
                throw new BundleRejected("roots_pem[" + i + "] is not a PEM certificate: " + e.getMessage());
            }
        }
        dev.meshid.pki.bundle.TrustBundle bundle;
        try {
            bundle = dev.meshid.pki.bundle.TrustBundle.of(roots);
        } catch (PkiException e) {
            throw new BundleRejected("bundle " + message.getVersion() + ": " + e.getMessage());
        }
        if (current.isPresent()) {
            X509Certificate top = current.get().chain().get(current.get().chain().size() - 1);
            if (roots.stream().noneMatch(r -> Certs.issuedBy(top, r) || Certs.fingerprint(r).equals(
                    Certs.fingerprint(top)))) {
                throw new BundleRejected("bundle " + message.getVersion() + " does not hold the root that issued"
                        + " this agent's current certificate (serial " + current.get().serialHex() + ", issuer "
                        + top.getIssuerX500Principal().getName() + "); remove a root only after every"
                        + " certificate it issued was renewed");
            }
        }
        return new AppliedBundle(message.getVersion(), bundle);
    }
}
