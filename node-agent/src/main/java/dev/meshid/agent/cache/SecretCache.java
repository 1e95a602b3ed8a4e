package dev.meshid.agent.cache;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.secret.SecretListener;
import dev.meshid.sds.secret.SecretNames;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.Subscription;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's current certificate, served to SDS as {@code default} and {@code ROOTCA}. A new certificate
 * replaces the old in one step and is pushed to every stream watching it; the roots are pushed only when
 * they changed (the SDS source ignores an equal value).
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

    /** Makes {@code certificate} current, pushes it to SDS, and tells the listeners. */
    public synchronized void accept(IssuedCertificate certificate, java.time.Instant rotateAt) {
        Held previous = held;
        boolean rootsChanged = previous == null || !previous.certificate().roots().equals(certificate.roots());
        held = new Held(certificate, rotateAt);
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
