package dev.meshid.ca.bundle;

import dev.meshid.pki.bundle.TrustBundle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The connected bundle streams and what each acknowledged: the CA's side of the trust-bundle stream, transport
 * aside. {@link #update} takes every new root set (pushing it to every stream when its version changed);
 * {@link #register} adds a stream and pushes the current bundle to it at once. Thread-safe: updates and
 * registrations are ordered by one lock, so a stream never misses a version nor sees one twice.
 */
public final class BundleWatchers {
    /** Versions remembered to tell which roots an agent's acked version holds; older ones count as unknown. */
    static final int VERSIONS_KEPT = 32;

    private final Map<Long, Entry> streams = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, BundleVersion> known = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BundleVersion> eldest) {
            return size() > VERSIONS_KEPT;
        }
    };
    private volatile BundleVersion current;

    /** One registered stream; {@link #close()} removes it (idempotent). */
    public final class Registration implements AutoCloseable {
        private final long id;

        private Registration(long id) {
            this.id = id;
        }

        public long id() {
            return id;
        }

        /** The agent's answer to a bundle: applied when {@code error} is empty, else refused (kept its last). */
        public void ack(String version, String error) {
            Entry e = streams.get(id);
            if (e == null) {
                return;
            }
            if (error == null || error.isEmpty()) {
                e.acked = version;
                e.error = null;
            } else {
                e.error = error;
            }
        }

        @Override
        public void close() {
            streams.remove(id);
        }
    }

    private static final class Entry {
        final long id;
        final String identity;
        final String peer;
        final Consumer<BundleVersion> push;
        String lastSent;
        volatile String acked;
        volatile String error;

        Entry(long id, String identity, String peer, Consumer<BundleVersion> push) {
            this.id = id;
            this.identity = identity;
            this.peer = peer;
            this.push = push;
        }

        void send(BundleVersion v) {
            if (!v.version().equals(lastSent)) {
                lastSent = v.version();
                push.accept(v);
            }
        }
    }

    /**
     * Adds a stream; {@code push} receives the current bundle at once (if the CA has one) and every later
     * version, in order, on the caller's thread: it must not block (hand the message to the stream's context).
     */
    public synchronized Registration register(String identity, String peer, Consumer<BundleVersion> push) {
        Entry e = new Entry(ids.incrementAndGet(), Objects.requireNonNull(identity, "identity"),
                Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(push, "push"));
        streams.put(e.id, e);
        if (current != null) {
            e.send(current);
        }
        return new Registration(e.id);
    }

    /** The CA's trust bundle now; pushed to every stream when its version differs from the last one. */
    public synchronized void update(TrustBundle roots) {
        BundleVersion next = BundleVersion.of(roots);
        if (current != null && current.version().equals(next.version())) {
            return;
        }
        current = next;
        known.put(next.version(), next);
        for (Entry e : streams.values()) {
            e.send(next);
        }
    }

    /** The current bundle version, once the CA has one. */
    public Optional<BundleVersion> current() {
        return Optional.ofNullable(current);
    }

    /** Streams open now. */
    public int connected() {
        return streams.size();
    }

    /** Streams whose last applied version is the current one. */
    public int ackedCurrent() {
        BundleVersion c = current;
        return c == null ? 0 : (int) streams.values().stream().filter(e -> c.version().equals(e.acked)).count();
    }

    /** A snapshot of every open stream, oldest first. */
    public synchronized List<AgentView> agents() {
        BundleVersion c = current;
        List<AgentView> out = new ArrayList<>();
        streams.values().stream().sorted((a, b) -> Long.compare(a.id, b.id)).forEach(e -> {
            String acked = e.acked;
            BundleVersion v = acked == null ? null : known.get(acked);
            out.add(new AgentView(e.id, e.identity, e.peer, Optional.ofNullable(acked),
                    v == null ? Set.of() : v.fingerprints(), c != null && c.version().equals(acked),
                    Optional.ofNullable(e.error)));
        });
        return out;
    }
}
