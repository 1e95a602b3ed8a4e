package dev.meshid.ca.keysource;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping every key source shares: material is identified by a fingerprint of its raw content, so
 * content seen before (the current bundle, or the last rejected one) is neither verified nor reported again;
 * new content is verified as a whole and either delivered or rejected; after {@link #close} nothing is
 * delivered. Delivery happens under this object's lock, so once {@code close()} returns no callback runs.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    /** Builds and verifies a bundle from content already read. */
    @FunctionalInterface
    interface Loader {
        KeyCertBundle load() throws PkiException;
    }

    private final String source;
    private final AtomicLong rejections = new AtomicLong();
    private KeySourceListener listener;
    private String currentFingerprint;
    private String rejectedFingerprint;
    private KeyCertBundle current;
    private boolean closed;

    Delivery(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    synchronized void attach(KeySourceListener l) {
        if (listener != null) {
            throw new IllegalStateException(source + " was already started; a key source starts once");
        }
        listener = Objects.requireNonNull(l, "listener");
    }

    /** Verifies and delivers content with this fingerprint unless it was seen before. True if delivered. */
    synchronized boolean offer(String fingerprint, Loader loader) {
        if (closed || listener == null || fingerprint.equals(currentFingerprint)
                || fingerprint.equals(rejectedFingerprint)) {
            return false;
        }
        KeyCertBundle bundle;
        try {
            bundle = Objects.requireNonNull(loader.load(), "loader returned null");
        } catch (PkiException | RuntimeException e) {
            reject(fingerprint, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return false;
        }
        currentFingerprint = fingerprint;
        rejectedFingerprint = null;
        current = bundle;
        LOG.info("{}: loaded new CA material, signer {}", source, bundle.signer());
        listener.onBundle(bundle);
        return true;
    }

    /** Rejects content with this fingerprint (once); the current bundle stays. */
    synchronized void reject(String fingerprint, String problem) {
        if (closed || listener == null || fingerprint.equals(rejectedFingerprint)) {
            return;
        }
        rejectedFingerprint = fingerprint;
        rejections.incrementAndGet();
        String reason = source + ": " + problem;
        LOG.error("{}; refusing it and keeping {}", reason,
                current == null ? "no CA material (none loaded yet)" : "the current CA " + current.signer());
        listener.onRejected(reason);
    }

    /** Reports a problem that is not new content (e.g. the source disappeared); counted, the current bundle stays. */
    synchronized void problem(String problem) {
        if (closed || listener == null) {
            return;
        }
        rejections.incrementAndGet();
        String reason = source + ": " + problem;
        LOG.error("{}; keeping {}", reason,
                current == null ? "no CA material (none loaded yet)" : "the current CA " + current.signer());
        listener.onRejected(reason);
    }

    synchronized KeyCertBundle current() {
        return current;
    }

    long rejections() {
        return rejections.get();
    }

    synchronized void close() {
        closed = true;
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
