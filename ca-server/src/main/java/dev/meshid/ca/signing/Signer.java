package dev.meshid.ca.signing;

import dev.meshid.ca.CaException;
import dev.meshid.ca.keysource.KeySourceListener;
import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act of signing, with the live signing material: the {@link KeyCertBundle} a key source delivered last,
 * held in one {@link AtomicReference} and swapped in one step, so the signing path takes no lock. Listens to a
 * key source: {@code onBundle} swaps, {@code onRejected} counts and logs and keeps the old bundle.
 *
 * <p>A leaf never outlives any certificate of its chain: its lifetime is cut to the earliest NotAfter of the
 * signing CA, the intermediates and the root it chains to. Every certificate goes through a validator before it
 * is returned; the signature itself is proven once per bundle, by a self-test certificate issued and verified
 * when the bundle arrives (a bundle that fails it is refused), not once per certificate.
 */
public final class Signer implements KeySourceListener {
    private static final Logger LOG = LoggerFactory.getLogger(Signer.class);

    /**
     * The bundle in use, with a sequence number that grows with every swap, and the part of every response after
     * the leaf, encoded once.
     */
    public record Active(KeyCertBundle bundle, long sequence, Instant chainNotAfter, ChainTail tail,
                         String rootFingerprint) {
    }

    /** The identity of the self-test certificate, which never leaves the CA. */
    private static final SpiffeId SELF_TEST_ID = SpiffeId.parse("spiffe://self-test.meshid.invalid/self-test");

    private final Clock clock;
    private final CertificateIssuer issuer;
    private final SvidValidator validator = new SvidValidator();
    private final Duration maxTtl;
    private final AtomicReference<Active> active = new AtomicReference<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final List<Consumer<Active>> listeners = new CopyOnWriteArrayList<>();
    private final IssuedLedger ledger;

    /**
     * @param maxTtl the longest TTL policy allows, only to warn when the signing CA lives shorter than that
     */
    public Signer(Clock clock, SecureRandom random, Duration maxTtl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = new CertificateIssuer(clock, Objects.requireNonNull(random, "random"));
        this.maxTtl = Objects.requireNonNull(maxTtl, "maxTtl");
        this.ledger = new IssuedLedger(clock.instant());
    }

    /** The latest NotAfter issued under each root since this CA started (root rotation needs it). */
    public IssuedLedger issuedLedger() {
        return ledger;
    }

    /** Whether signing material has been loaded. */
    public boolean ready() {
        return active.get() != null;
    }

    /** The bundle in use, if any. */
    public Optional<Active> active() {
        return Optional.ofNullable(active.get());
    }

    /** How many new bundles the key source refused (the old one stayed in use each time). */
    public long rejectedCount() {
        return rejected.get();
    }

    /** Called (on the key source's thread) after every swap, and at once if a bundle is already loaded. */
    public void addListener(Consumer<Active> listener) {
        listeners.add(listener);
        Active now = active.get();
        if (now != null) {
            listener.accept(now);
        }
    }

    @Override
    public void onBundle(KeyCertBundle bundle) {
        ChainTail tail;
        try {
            tail = ChainTail.of(bundle.responseChainWithoutRoots(), bundle.roots());
            selfTest(bundle);
        } catch (PkiException | RuntimeException e) {
            onRejected("the new signing material failed the signing self-test: " + e.getMessage());
            return;
        }
        Active next = new Active(bundle, sequence.incrementAndGet(), chainNotAfter(bundle), tail,
                Certs.fingerprint(bundle.root()));
        Active before = active.getAndSet(next);
        LOG.info("signing with {} (chain valid until {}, {} root(s) in the trust bundle){}", bundle.signer(),
                next.chainNotAfter(), bundle.roots().roots().size(), before == null ? "" : ", replacing " + before.bundle().signer());
        Duration left = Duration.between(clock.instant(), next.chainNotAfter());
        if (left.compareTo(maxTtl) < 0) {
            LOG.warn("the signing CA chain expires in {} ({}), sooner than the max TTL {}; certificates will be cut "
                    + "to end at {} — rotate the CA or lower the max TTL", left, next.chainNotAfter(), maxTtl,
                    next.chainNotAfter());
        }
        for (Consumer<Active> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.error("a listener failed on the new signing bundle", e);
            }
        }
    }

    @Override
    public void onRejected(String reason) {
        long n = rejected.incrementAndGet();
        Active current = active.get();
        LOG.error("refused new signing material ({} refusal(s) so far): {}; {}", n, reason,
                current == null ? "no signer is loaded yet, the CA is not ready" : "still signing with " + current.bundle().signer());
    }

    /**
     * Issues an X509-SVID for {@code key}.
     *
     * @throws CaException NOT_READY without signing material, SIGNING_FAILED when the CA cannot sign (expired,
     *     broken key) or the validator refuses the result
     */
    public SignedChain sign(SvidSpec spec, PublicKey key) throws CaException {
        return sign(spec, key, true);
    }

    /**
     * Issues the CA's own serving certificate: like {@link #sign} but not recorded in the {@link IssuedLedger}.
     * The CA re-issues it from the new signer as soon as signing switches and nobody else holds it, so it must
     * not keep an old root "in use" for its whole lifetime and block that root's removal.
     */
    public SignedChain signServing(SvidSpec spec, PublicKey key) throws CaException {
        return sign(spec, key, false);
    }

    private SignedChain sign(SvidSpec spec, PublicKey key, boolean record) throws CaException {
        Active current = active.get();
        if (current == null) {
            throw new CaException(CaException.Kind.NOT_READY, "the CA has no signing key loaded yet; retry shortly");
        }
        KeyCertBundle bundle = current.bundle();
        SvidSpec clamped = clamp(spec, current.chainNotAfter());
        X509Certificate leaf;
        try {
            leaf = issuer.svid(clamped, key, bundle.signer());
            validator.check(leaf, clamped, key, bundle);
        } catch (PkiException | IllegalArgumentException e) {
            throw new CaException(CaException.Kind.SIGNING_FAILED, "the CA could not sign the certificate: "
                    + e.getMessage(), e);
        }
        if (record) {
            ledger.record(current.rootFingerprint(), leaf.getNotAfter().toInstant());
        }
        return new SignedChain(leaf, current.tail());
    }

    /**
     * Issues a certificate for a throwaway key with the new material and checks it completely, signature
     * included. A CA outside its validity cannot issue; its key is then proven by a plain sign and verify (and
     * signing requests fail with SIGNING_FAILED until new material comes, as before).
     */
    private void selfTest(KeyCertBundle bundle) throws PkiException {
        X509Certificate ca = bundle.signer().certificate();
        Instant now = clock.instant();
        if (now.isBefore(ca.getNotBefore().toInstant()) || !now.isBefore(bundle.signer().notAfter())) {
            rawSelfTest(bundle);
            return;
        }
        SvidSpec spec = SvidSpec.of(SELF_TEST_ID, Duration.ofMinutes(5));
        PublicKey key = Keys.generate(KeyAlgorithm.EC_P256).getPublic();
        X509Certificate leaf = issuer.svid(spec, key, bundle.signer());
        validator.check(leaf, spec, key, bundle);
        if (!Certs.issuedBy(leaf, ca)) {
            throw new PkiException("a self-test certificate signed with the key of " + Certs.describe(ca)
                    + " does not verify with that certificate's public key");
        }
    }

    private static void rawSelfTest(KeyCertBundle bundle) throws PkiException {
        try {
            java.security.Signature s = java.security.Signature.getInstance(
                    Keys.signatureAlgorithm(bundle.signer().key()), dev.meshid.pki.crypto.CryptoProvider.get());
            byte[] message = "meshid signing self-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.initSign(bundle.signer().key());
            s.update(message);
            byte[] signature = s.sign();
            s.initVerify(bundle.signer().certificate().getPublicKey());
            s.update(message);
            if (s.verify(signature)) {
                return;
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new PkiException("the signing key cannot sign: " + e.getMessage(), e);
        }
        throw new PkiException("a signature made with the signing key does not verify with "
                + Certs.describe(bundle.signer().certificate()));
    }

    private SvidSpec clamp(SvidSpec spec, Instant chainNotAfter) throws CaException {
        Duration room = Duration.between(clock.instant(), chainNotAfter);
        if (room.isNegative() || room.isZero()) {
            throw new CaException(CaException.Kind.SIGNING_FAILED, "the signing CA chain expired at " + chainNotAfter
                    + "; the CA needs new signing material");
        }
        return room.compareTo(spec.ttl()) < 0 ? new SvidSpec(spec.id(), room, spec.backdate(), spec.dnsSans(),
                spec.subjectDn()) : spec;
    }

    private static Instant chainNotAfter(KeyCertBundle bundle) {
        Instant earliest = bundle.signer().notAfter();
        for (X509Certificate c : bundle.intermediates()) {
            earliest = min(earliest, c.getNotAfter().toInstant());
        }
        X509Certificate root = bundle.root();
        if (root != null) {
            earliest = min(earliest, root.getNotAfter().toInstant());
        }
        return earliest;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        Active a = active.get();
        return "Signer[" + (a == null ? "not ready" : Certs.describe(a.bundle().signer().certificate())) + "]";
    }
}
