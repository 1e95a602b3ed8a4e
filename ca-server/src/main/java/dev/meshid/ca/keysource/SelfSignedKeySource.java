package dev.meshid.ca.keysource;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.PluginForm;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.RootSpec;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import dev.meshid.ca.bundle.AgentView;
import dev.meshid.ca.rotation.AutoRotationPolicy;
import dev.meshid.ca.rotation.RotationModel;
import dev.meshid.ca.rotation.RotationReport;
import dev.meshid.ca.rotation.SelfSignedRotation;
import dev.meshid.pki.cert.CaSigner;
import java.io.IOException;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A self-signed root CA, generated on first start and kept in a {@link RootStore} (a directory, or Istio's
 * {@code istio-ca-secret}) so that restarts and every replica sign with the same key.
 *
 * <p>Every check (on the injected scheduler, at start and then every {@link SelfSignedOptions#checkInterval})
 * reads the store: nothing stored yet -> generate a root and create-if-absent (a replica that loses the
 * race adopts the winner's); stored content is verified like plug-in files and must be a self-signed root;
 * once {@link #shouldReissue} holds, the root is re-issued with the same key and stored conditionally, and
 * the old root stays in the trust bundle until it expires, so certificates from either verify. Content that
 * does not verify is refused ({@code onRejected}) and never overwritten: an operator may have put it there.
 *
 * <p>With an {@link AutoRotation} (the running CA always passes one) the root is rotated to a new key instead,
 * one {@link AutoRotationPolicy} step per check, each stored conditionally before it is delivered: at the
 * configured fraction of its life a next root is made and stored beside it (the bundle becomes old and new,
 * signing stays on the old key); signing moves to the next root once every connected agent acked a bundle
 * holding it, or the grace period ended; the old root leaves the bundle once no valid leaf depends on it. A
 * replica or a restarted CA that finds a next root in the store continues that rotation.
 */
public final class SelfSignedKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedKeySource.class);

    private final RootStore store;
    private final SelfSignedOptions options;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final RootReissuePolicy policy;
    private final CertificateIssuer issuer;
    private final Delivery delivery;
    private final Optional<AutoRotation> auto;
    private final SelfSignedRotation rotation;
    private final java.util.Set<String> retired = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> checking;

    /** A source that re-issues its root with the same key (no automatic rotation). */
    public SelfSignedKeySource(RootStore store, SelfSignedOptions options, Clock clock,
            ScheduledExecutorService scheduler) {
        this(store, options, clock, scheduler, Optional.empty());
    }

    /** A source that rotates its root to a new key when {@code auto} is present. */
    public SelfSignedKeySource(RootStore store, SelfSignedOptions options, Clock clock,
            ScheduledExecutorService scheduler, Optional<AutoRotation> auto) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.policy = new RootReissuePolicy(options.reissueFraction());
        this.issuer = new CertificateIssuer(clock, new SecureRandom());
        this.delivery = new Delivery(name());
        this.auto = Objects.requireNonNull(auto, "auto");
        this.rotation = new SelfSignedRotation(issuer, options.subjectDn(), options.validity(), options.keyAlgorithm());
    }

    @Override
    public String name() {
        return "selfsigned:" + store.describe();
    }

    @Override
    public synchronized void start(KeySourceListener listener) {
        delivery.attach(listener);
        checking = scheduler.scheduleWithFixedDelay(this::check, 0, options.checkInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Whether {@code root} is due for re-issue at {@code now}: when the configured fraction of its life remains. */
    public boolean shouldReissue(Instant now, X509Certificate root) {
        return policy.shouldReissue(now, root);
    }

    /** How many stored roots were refused since start. */
    public long rejectedCount() {
        return delivery.rejections();
    }

    private void check() {
        if (delivery.isClosed()) {
            return;
        }
        try {
            Map<String, String> stored = store.read().orElse(null);
            if (stored == null) {
                stored = store.createIfAbsent(generate());
                LOG.info("{}: no root was stored; stored a new self-signed root (or adopted one a replica stored first)",
                        name());
            }
            Map<String, String> content = stored;
            KeyCertBundle bundle;
            try {
                bundle = verify(content);
            } catch (PkiException e) {
                delivery.reject(PluginFiles.fingerprint(content), e.getMessage()
                        + "; fix or remove the stored root in " + store.describe() + " (it is not overwritten)");
                return;
            }
            X509Certificate root = bundle.signer().certificate();
            if (auto.isPresent()) {
                content = rotate(content, bundle, auto.get());
            } else if (shouldReissue(clock.instant(), root)) {
                content = store.replace(content, reissue(bundle));
                LOG.info("{}: re-issued the root {} with the same key; the old root stays trusted until it expires",
                        name(), Certs.describe(root));
            } else if (countRoots(content) > bundle.roots().roots().size()) {
                // An older root expired (verify() dropped it): store and deliver the smaller bundle.
                content = store.replace(content, encode(bundle));
            }
            Map<String, String> delivered = content;
            delivery.offer(PluginFiles.fingerprint(delivered), () -> verify(delivered));
        } catch (IOException e) {
            LOG.warn("{}: cannot reach the root store now ({}); retrying in {}", name(), e.getMessage(),
                    options.checkInterval());
        } catch (PkiException | RuntimeException e) {
            LOG.error("{}: cannot generate or re-issue the root: {}; retrying in {}", name(), e.getMessage(),
                    options.checkInterval());
        }
    }

    /** One step of the automatic rotation, stored conditionally; returns what is stored afterwards. */
    private Map<String, String> rotate(Map<String, String> content, KeyCertBundle bundle, AutoRotation a)
            throws PkiException, IOException {
        SelfSignedRotation.State state = new SelfSignedRotation.State(bundle, pendingNext(content, bundle));
        Instant now = clock.instant();
        for (X509Certificate r : bundle.roots().roots()) {
            String fp = Certs.fingerprint(r);
            // Another replica (or this CA before a restart) may have signed under a root until up to one check
            // after signing left it: keep it until such leaves have expired, whatever this ledger saw.
            if (!r.equals(bundle.root()) && retired.add(fp)) {
                a.ledger().record(fp, now.plus(options.checkInterval()).plus(a.maxTtl()));
            }
        }
        List<AgentView> agents = a.acks().agents();
        RotationReport report = new RotationReport(RotationModel.evaluate(bundle, a.ledger().snapshot(),
                a.ledger().since(), a.maxTtl(), now), Optional.empty(), agents.size(), 0, agents);
        AutoRotationPolicy.Action action = a.policy().decide(report, now);
        if (action instanceof AutoRotationPolicy.Hold) {
            // An expired root (verify() dropped it) or a stale next root: store the smaller content.
            boolean staleNext = state.next().isEmpty() && content.containsKey(store.layout().nextCertFile());
            return countRoots(content) > bundle.roots().roots().size() || staleNext
                    ? store.replace(content, encode(state)) : content;
        }
        SelfSignedRotation.State after = rotation.apply(state, action);
        Map<String, String> stored = store.replace(content, encode(after));
        LOG.info("{}: root rotation: {}", name(), action);
        return stored;
    }

    /**
     * The next root stored beside the current one, if it is whole (its key matches) and still in the bundle; a
     * stale one (already the signer, or dropped) is ignored and cleaned up by the next write.
     */
    private Optional<CaSigner> pendingNext(Map<String, String> content, KeyCertBundle bundle) throws PkiException {
        String certPem = content.get(store.layout().nextCertFile());
        String keyPem = content.get(store.layout().nextKeyFile());
        if (certPem == null || keyPem == null || certPem.isBlank() || keyPem.isBlank()) {
            return Optional.empty();
        }
        X509Certificate cert = Pem.readCertificate(certPem);
        PrivateKey key = Pem.readPrivateKey(keyPem);
        if (!Keys.matches(key, cert.getPublicKey())) {
            throw new PkiException("the stored next root " + Certs.describe(cert) + " does not match the stored next"
                    + " key; remove both next-root entries to start the rotation over");
        }
        boolean trusted = bundle.roots().roots().contains(cert);
        return trusted && !cert.equals(bundle.signer().certificate()) ? Optional.of(new CaSigner(cert, key))
                : Optional.empty();
    }

    private Map<String, String> encode(SelfSignedRotation.State s) {
        Map<String, String> out = new LinkedHashMap<>(encode(s.material()));
        s.next().ifPresent(n -> {
            out.put(store.layout().nextKeyFile(), Pem.writePrivateKey(n.key()));
            out.put(store.layout().nextCertFile(), Pem.write(n.certificate()));
        });
        return out;
    }

    private Map<String, String> generate() throws PkiException {
        KeyPair kp = Keys.generate(options.keyAlgorithm());
        X509Certificate root = issuer.selfSignedRoot(new RootSpec(options.subjectDn(), options.validity(), null), kp);
        return store.layout().encode(kp.getPrivate(), root, List.of());
    }

    private Map<String, String> reissue(KeyCertBundle current) throws PkiException {
        X509Certificate fresh = issuer.reissueRoot(current.signer().certificate(), current.signer().key(),
                options.validity());
        return store.layout().encode(current.signer().key(), fresh, current.roots().roots());
    }

    private int countRoots(Map<String, String> stored) throws PkiException {
        return Pem.readCertificates(store.layout().toPluginFiles(stored).get(PluginForm.ROOT_CERT)).size();
    }

    private Map<String, String> encode(KeyCertBundle b) {
        return store.layout().encode(b.signer().key(), b.signer().certificate(), b.roots().roots());
    }

    /** Verifies stored content as a self-signed root; the trust bundle keeps only roots not yet expired. */
    private KeyCertBundle verify(Map<String, String> stored) throws PkiException {
        KeyCertBundle b = KeyCertBundle.fromPem(store.layout().toPluginFiles(stored), clock);
        X509Certificate cert = b.signer().certificate();
        if (!b.intermediates().isEmpty() || !Certs.isSelfSigned(cert)) {
            throw new PkiException("the stored CA " + Certs.describe(cert) + " is not a self-signed root;"
                    + " a CA signed by another one belongs in a cacerts directory or secret");
        }
        Instant now = clock.instant();
        List<X509Certificate> live = b.roots().roots().stream()
                .filter(r -> r.getNotAfter().toInstant().isAfter(now)).toList();
        return new KeyCertBundle(b.signer(), List.of(), new TrustBundle(live));
    }

    @Override
    public synchronized void close() {
        delivery.close();
        if (checking != null) {
            checking.cancel(false);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
