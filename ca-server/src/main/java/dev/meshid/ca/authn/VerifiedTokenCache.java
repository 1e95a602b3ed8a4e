package dev.meshid.ca.authn;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens whose signature and claims {@link JwtAuthenticator} accepted, keyed by the SHA-256 of the token (the
 * token itself is never kept), least recently used evicted first once full. An agent presents the same token for
 * every request until it rotates it, so this saves the JOSE parsing and the signature check on nearly every
 * request. Each entry is tied to the key set it was verified with: a hit counts only while that key set is still
 * the current one, so a removed key stops its tokens at once. Entries end at the sooner of the token's
 * {@code exp} and {@link #MAX_AGE}; {@code nbf} is checked again on every hit. Failures are never cached.
 */
final class VerifiedTokenCache {
    /** Longest reuse of one verification, whatever the token's own lifetime. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final int DEFAULT_SIZE = 10_000;

    private record Entry(Caller caller, JWKSet keys, Instant notBefore, Instant expiresAt) {
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private final Map<String, Entry> entries;
    private JWKSet keysSeen; // guarded by this

    VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache size must be at least 1, got " + maxEntries);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    static String key(String token) {
        return HexFormat.of().formatHex(SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The caller for a token verified before with {@code keys} (the current key set, compared by identity),
     * if still within its window at {@code now} (skew applied to {@code nbf} as in the full check).
     */
    synchronized Optional<Caller> get(String key, JWKSet keys, Instant now, Duration skew) {
        forgetIfChanged(keys);
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.keys() != keys || !now.isBefore(e.expiresAt())) {
            entries.remove(key);
            return Optional.empty();
        }
        if (e.notBefore() != null && now.plus(skew).isBefore(e.notBefore())) {
            return Optional.empty();
        }
        return Optional.of(e.caller());
    }

    /** Remembers an accepted token until the sooner of {@code exp} and {@code now + MAX_AGE}. */
    synchronized void put(String key, Caller caller, JWKSet keys, Instant notBefore, Instant exp, Instant now) {
        forgetIfChanged(keys);
        Instant until = now.plus(MAX_AGE);
        if (exp.isBefore(until)) {
            until = exp;
        }
        if (now.isBefore(until)) {
            entries.put(key, new Entry(caller, keys, notBefore, until));
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private void forgetIfChanged(JWKSet keys) {
        if (keys != keysSeen) {
            entries.clear();
            keysSeen = keys;
        }
    }
}
