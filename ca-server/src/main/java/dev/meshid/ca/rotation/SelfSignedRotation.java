package dev.meshid.ca.rotation;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.RootSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies an {@link AutoRotationPolicy.Action} to a self-signed CA's material: the bundle in use and the next
 * root's signer while it waits in the bundle. A new root gets a new key (re-issuing with the same key would not
 * retire a compromised or weak key).
 */
public final class SelfSignedRotation {

    /**
     * @param material what the CA signs with and trusts
     * @param next the next root and its key, between {@code AddRoot} and {@code SwitchSigner}
     */
    public record State(KeyCertBundle material, Optional<CaSigner> next) {
        public State {
            Objects.requireNonNull(material, "material");
            Objects.requireNonNull(next, "next");
        }
    }

    private final CertificateIssuer issuer;
    private final String subjectDn;
    private final Duration validity;
    private final KeyAlgorithm algorithm;

    public SelfSignedRotation(CertificateIssuer issuer, String subjectDn, Duration validity, KeyAlgorithm algorithm) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.subjectDn = Objects.requireNonNull(subjectDn, "subjectDn");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    public State apply(State s, AutoRotationPolicy.Action action) throws PkiException {
        KeyCertBundle m = s.material();
        if (action instanceof AutoRotationPolicy.AddRoot) {
            KeyPair kp = Keys.generate(algorithm);
            X509Certificate root = issuer.selfSignedRoot(new RootSpec(subjectDn, validity, null), kp);
            return new State(new KeyCertBundle(m.signer(), m.intermediates(),
                    m.roots().merge(new TrustBundle(List.of(root)))), Optional.of(new CaSigner(root, kp.getPrivate())));
        }
        if (action instanceof AutoRotationPolicy.SwitchSigner sw) {
            CaSigner next = s.next().filter(n -> Certs.fingerprint(n.certificate()).equals(sw.fingerprint()))
                    .orElseThrow(() -> new PkiException("the key of the root " + sw.fingerprint()
                            + " is not held; cannot switch to it"));
            return new State(new KeyCertBundle(next, List.of(), m.roots()), Optional.empty());
        }
        if (action instanceof AutoRotationPolicy.DropRoot d) {
            X509Certificate root = m.roots().roots().stream()
                    .filter(r -> Certs.fingerprint(r).equals(d.fingerprint())).findFirst()
                    .orElseThrow(() -> new PkiException("no root " + d.fingerprint() + " in the bundle"));
            return new State(new KeyCertBundle(m.signer(), m.intermediates(), m.roots().without(root)), s.next());
        }
        return s;
    }
}
