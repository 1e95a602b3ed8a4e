package dev.meshid.ca.signing;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest NotAfter of the certificates this CA process has issued under each root (by the root's SHA-256
 * fingerprint): how long a leaf may still depend on a root. Kept in memory only, so it starts empty when the
 * CA starts; {@link #since()} says when, and whoever decides that a root is unused must assume that leaves
 * issued before then live up to the maximum TTL after it.
 */
public final class IssuedLedger {
    private final Instant since;
    private final Map<String, Instant> latest = new ConcurrentHashMap<>();

    public IssuedLedger(Instant since) {
        this.since = Objects.requireNonNull(since, "since");
    }

    /** When this ledger started recording (the CA's start). */
    public Instant since() {
        return since;
    }

    /** Records a certificate valid until {@code notAfter} that chains to the root with {@code rootFingerprint}. */
    public void record(String rootFingerprint, Instant notAfter) {
        Instant known = latest.get(rootFingerprint);
        if (known == null || known.isBefore(notAfter)) {
            latest.merge(rootFingerprint, notAfter, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** The latest NotAfter recorded under that root, if any. */
    public Optional<Instant> latest(String rootFingerprint) {
        return Optional.ofNullable(latest.get(rootFingerprint));
    }

    /** Everything recorded, by root fingerprint. */
    public Map<String, Instant> snapshot() {
        return Map.copyOf(latest);
    }
}
