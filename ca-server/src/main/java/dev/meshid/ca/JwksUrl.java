package dev.meshid.ca;

import com.nimbusds.jose.jwk.JWKSet;
import dev.meshid.ca.authn.AuthnDefaults;
import dev.meshid.ca.authn.JwkSetSource;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A JWKS fetched from a fixed URL ({@code --jwks-url}, e.g. the API server's {@code /openid/v1/jwks}) with
 * bounded timeouts and size, kept for {@link AuthnDefaults#JWKS_MAX_AGE} and fetched again for an unknown key
 * id at most every {@link AuthnDefaults#JWKS_MIN_REFRESH}. A failed refresh keeps the keys fetched before and is
 * not retried for {@link AuthnDefaults#JWKS_MIN_REFRESH}, so a down endpoint is not asked on every request.
 */
final class JwksUrl implements JwkSetSource {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JwksUrl.class);
    private static final int MAX_BYTES = 1 << 20;
    private static final int TIMEOUT_MS = (int) AuthnDefaults.CALL_TIMEOUT.toMillis();

    private record Fetched(JWKSet keys, Instant at) {
    }

    private final URI url;
    private final Clock clock;
    private volatile Fetched fetched;
    private volatile Instant failedAt;

    JwksUrl(URI url, Clock clock) {
        this.url = Objects.requireNonNull(url, "url");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public JWKSet keys() throws IOException {
        Fetched f = fetched;
        if (f != null && (clock.instant().isBefore(f.at().plus(AuthnDefaults.JWKS_MAX_AGE)) || backingOff())) {
            return f.keys();
        }
        return fetch(f);
    }

    @Override
    public JWKSet keysAfterMiss() throws IOException {
        Fetched f = fetched;
        if (f != null && (clock.instant().isBefore(f.at().plus(AuthnDefaults.JWKS_MIN_REFRESH)) || backingOff())) {
            return f.keys();
        }
        return fetch(f);
    }

    private boolean backingOff() {
        Instant failed = failedAt;
        return failed != null && clock.instant().isBefore(failed.plus(AuthnDefaults.JWKS_MIN_REFRESH));
    }

    private synchronized JWKSet fetch(Fetched before) throws IOException {
        if (fetched != before) {
            return fetched.keys();
        }
        try {
            JWKSet keys = JWKSet.load(url.toURL(), TIMEOUT_MS, TIMEOUT_MS, MAX_BYTES).toPublicJWKSet();
            fetched = new Fetched(keys, clock.instant());
            failedAt = null;
            return keys;
        } catch (IOException | ParseException e) {
            if (before != null) {
                failedAt = clock.instant();
                LOG.warn("cannot refresh the JWKS from {} ({}); keeping the {} key(s) fetched at {}, next try in {}",
                        url, e.getMessage(), before.keys().getKeys().size(), before.at(), AuthnDefaults.JWKS_MIN_REFRESH);
                return before.keys();
            }
            throw new IOException("cannot load the JWKS from " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        Fetched f = fetched;
        return "JWKS " + url + (f == null ? " (not fetched yet)" : " (" + f.keys().getKeys().size() + " key(s), fetched "
                + f.at() + ")");
    }
}
