package dev.meshid.ca.authn;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;

/** Where {@link JwtAuthenticator} gets the issuer's public keys: a JWKS file or OIDC discovery. */
public interface JwkSetSource {

    /** The current keys (loaded on first use). */
    JWKSet keys() throws IOException;

    /**
     * The keys after a token named a key that {@link #keys()} lacks: a source that fetches keys may fetch them
     * again now (at most once per its minimum interval); others return {@link #keys()}.
     */
    default JWKSet keysAfterMiss() throws IOException {
        return keys();
    }

    /** Where the keys come from and when they were loaded, for log lines. */
    String describe();
}
