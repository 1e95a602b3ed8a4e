package dev.meshid.ca.authn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Accepted TokenReview verdicts, keyed by the SHA-256 of the token (the token itself is never kept), each
 * until its own expiry, least recently used evicted first once full. Rejections are not cached: a token the
 * API server refused costs another review, which keeps a freshly fixed configuration effective at once.
 */
final class TokenReviewCache {
    private record Entry(Caller caller, Instant expiresAt) {
    }

    private final Map<String, Entry> entries;

    TokenReviewCache(int maxEntries) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    static String key(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    synchronized Optional<Caller> get(String key, Instant now) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!now.isBefore(e.expiresAt())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.caller());
    }

    synchronized void put(String key, Caller caller, Instant expiresAt) {
        entries.put(key, new Entry(caller, expiresAt));
    }

    synchronized int size() {
        return entries.size();
    }
}
