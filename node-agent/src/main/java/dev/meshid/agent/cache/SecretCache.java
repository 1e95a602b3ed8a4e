package dev.meshid.agent.cache;

import dev.meshid.agent.bundle.AppliedBundle;
import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.secret.SecretListener;
import dev.meshid.sds.secret.SecretNames;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.Subscription;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's current certificate, served to SDS as {@code default} and {@code ROOTCA}. A new certificate
 * replaces the old in one step and is pushed to every stream watching it; the roots are pushed only when
 * they changed (the SDS source ignores an equal value). The roots served are the CA's bundle stream's while it
 * is connected, else those of the CA's answers ({@link TrustedRoots}).
 *
 * <p>Expiry: once the held certificate has expired, {@link #current} answers empty for {@code default}, so a
 * newly connecting proxy waits for a good certificate instead of starting with a dead one. Streams that
 * already hold it are not sent anything (SDS state-of-the-world cannot take a secret back, and Envoy would
 * fail its handshakes either way); health and metrics say "expired" (see {@link #expired()}).
 */
public final class SecretCache implements SecretSource {
    private static final Logger LOG = LoggerFactory.getLogger(SecretCache.class);

    private final InMemorySecretSource secrets = InMemorySecretSource.forWorkload();
    private final List<CertificateListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final boolean pkcs8Key;
    private volatile Held held;
    private volatile AppliedBundle streamBundle;
    private List<X509Certificate> answerRoots = List.of();
    private boolean streamConnected;

    /**
     * @param clock decides expiry
     * @param pkcs8Key serve the key as PKCS#8 (else SEC1/PKCS#1, Istio's default)
     */
    public SecretCache(Clock clock, boolean pkcs8Key) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pkcs8Key = pkcs8Key;
    }

    /** Adds a listener of new certificates (not called for the current one); close the result to remove it. */
    public Subscription addListener(CertificateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /**
     * Makes {@code certificate} current, pushes it to SDS, and tells the listeners. Its roots are replaced by
     * the ones the agent trusts now ({@link TrustedRoots}).
     */
    public synchronized void accept(IssuedCertificate certificate, Instant rotateAt) {
        answerRoots = certificate.roots();
        IssuedCertificate served = certificate.withRoots(TrustedRoots.select(authoritative(), answerRoots,
                certificate.chain()));
        publish(new Held(served, rotateAt));
    }

    /**
     * Takes a checked bundle from the CA's stream as the authoritative roots, pushes {@code ROOTCA} with all of
     * them and tells the listeners (output files, Workload API) when the roots changed.
     *
     * @return the {@code ROOTCA} value now served, to wait for the SDS clients' ACKs of it
     */
    public synchronized TrustBundle applyBundle(AppliedBundle bundle) {
        streamBundle = bundle;
        streamConnected = true;
        Held h = held;
        if (h == null) {
            TrustBundle rootCa = new TrustBundle(bundle.pem());
            secrets.putTrustBundle(rootCa);
            return rootCa;
        }
        IssuedCertificate c = h.certificate();
        publish(new Held(c.withRoots(TrustedRoots.select(authoritative(), answerRoots, c.chain())), h.rotateAt()));
        return new TrustBundle(held.certificate().rootsPem());
    }

    /** The bundle stream ended: its last bundle stays until a CA answer brings newer roots. */
    public synchronized void bundleStreamLost() {
        streamConnected = false;
    }

    /** The last bundle taken from the CA's stream, if any. */
    public Optional<AppliedBundle> streamBundle() {
        return Optional.ofNullable(streamBundle);
    }

    private Optional<List<X509Certificate>> authoritative() {
        return streamConnected && streamBundle != null ? Optional.of(streamBundle.certificates()) : Optional.empty();
    }

    private void publish(Held next) {
        Held previous = held;
        IssuedCertificate certificate = next.certificate();
        boolean rootsChanged = previous == null || !previous.certificate().roots().equals(certificate.roots());
        if (previous != null && previous.equals(next)) {
            return;
        }
        held = next;
        // ROOTCA first: a proxy that gets a leaf from a new CA must already trust its root.
        secrets.putTrustBundle(new TrustBundle(certificate.rootsPem()));
        secrets.putCertificate(new TlsCertificate(certificate.chainPem(), certificate.keyPem(pkcs8Key)));
        for (CertificateListener l : listeners) {
            try {
                l.onCertificate(certificate, rootsChanged);
            } catch (RuntimeException e) {
                LOG.warn("certificate listener failed", e);
            }
        }
    }

    /** The held certificate and its renewal time, if any. */
    public Optional<Held> held() {
        return Optional.ofNullable(held);
    }

    /** Whether a certificate is held and has expired. */
    public boolean expired() {
        Held h = held;
        return h != null && h.certificate().expiredAt(clock.instant());
    }

    /** Whether a certificate is held and still valid. */
    public boolean ready() {
        Held h = held;
        return h != null && !h.certificate().expiredAt(clock.instant());
    }

    /** Whether the keys go out as PKCS#8. */
    public boolean pkcs8Key() {
        return pkcs8Key;
    }

    @Override
    public void checkServes(String name) {
        secrets.checkServes(name);
    }

    @Override
    public Optional<SecretValue> current(String name) {
        if (SecretNames.DEFAULT.equals(name) && expired()) {
            return Optional.empty();
        }
        return secrets.current(name);
    }

    @Override
    public Subscription watch(String name, SecretListener listener) {
        return secrets.watch(name, listener);
    }

    @Override
    public List<String> advertisedNames() {
        return secrets.advertisedNames();
    }
}
