package dev.meshid.ca.authn;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWKS read from a file (for example the API server's {@code /openid/v1/jwks} saved into a ConfigMap) and
 * read again whenever its modification time or size changes. A change that does not parse is logged and the
 * previous keys stay in use, so a bad edit never locks every workload out. The file's attributes are read at
 * most once per {@link #CHECK_INTERVAL} on the request path (a token naming an unknown key checks at once), so
 * a request costs no system call.
 */
public final class JwksFile implements JwkSetSource {
    private static final Logger LOG = LoggerFactory.getLogger(JwksFile.class);
    private static final long MAX_BYTES = 1 << 20;

    private record Stamp(FileTime modified, long size) {
    }

    private record Loaded(JWKSet keys, Stamp stamp) {
    }

    /** How often the request path looks at the file's modification time and size. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final Path path;
    private final Clock clock;
    private volatile Loaded loaded;
    private volatile Stamp rejected;
    private volatile Instant nextCheck = Instant.MIN;

    public JwksFile(Path path) {
        this(path, Clock.systemUTC());
    }

    /** @param clock decides when the file is looked at again */
    public JwksFile(Path path, Clock clock) {
        this.path = Objects.requireNonNull(path, "path");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public JWKSet keys() throws IOException {
        Loaded current = loaded;
        if (current != null && clock.instant().isBefore(nextCheck)) {
            return current.keys();
        }
        return check();
    }

    /** A token named a key we lack: look at the file now, not only after the interval. */
    @Override
    public JWKSet keysAfterMiss() throws IOException {
        return check();
    }

    private JWKSet check() throws IOException {
        nextCheck = clock.instant().plus(CHECK_INTERVAL);
        Stamp now;
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            now = new Stamp(attrs.lastModifiedTime(), attrs.size());
        } catch (IOException e) {
            return keepOrFail("cannot read JWKS file " + path + ": " + e, e);
        }
        Loaded current = loaded;
        if (current != null && current.stamp().equals(now)) {
            return current.keys();
        }
        if (now.equals(rejected)) {
            // Already reported this version of the file; do not parse and log it on every request.
            return keepOrFail("JWKS file " + path + " holds no valid key set (see earlier log)", null);
        }
        synchronized (this) {
            current = loaded;
            if (current != null && current.stamp().equals(now)) {
                return current.keys();
            }
            try {
                JWKSet keys = parse();
                loaded = new Loaded(keys, now);
                LOG.info("loaded {} key(s) from JWKS file {}", keys.getKeys().size(), path);
                return keys;
            } catch (IOException | ParseException e) {
                rejected = now;
                String why = "JWKS file " + path + " is not a valid JSON Web Key Set: " + e.getMessage()
                        + "; fix the file (format: {\"keys\":[...]}, public keys only)";
                if (loaded != null) {
                    LOG.warn("{}; keeping the {} key(s) loaded before", why, loaded.keys().getKeys().size());
                }
                return keepOrFail(why, e);
            }
        }
    }

    private JWKSet parse() throws IOException, ParseException {
        if (Files.size(path) > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES + " bytes");
        }
        JWKSet set = JWKSet.parse(Files.readString(path, StandardCharsets.UTF_8));
        if (set.getKeys().isEmpty()) {
            throw new ParseException("the key set is empty", 0);
        }
        // Only ever verify with the public halves, even if someone saved private keys into the file.
        return set.toPublicJWKSet();
    }

    private JWKSet keepOrFail(String why, Exception cause) throws IOException {
        Loaded current = loaded;
        if (current != null) {
            return current.keys();
        }
        throw new IOException(why, cause);
    }

    @Override
    public String describe() {
        Loaded current = loaded;
        return "JWKS file " + path + (current == null ? " (not loaded)"
                : " (" + current.keys().getKeys().size() + " key(s), modified " + current.stamp().modified() + ")");
    }
}
