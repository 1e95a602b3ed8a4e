package dev.meshid.ca.authn;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Claims read from a token WITHOUT verifying it. Only for bounds and log lines — how long a TokenReview
 * verdict may be cached, which audience a rejected token had — never for a decision to accept.
 */
record UnverifiedToken(Optional<Instant> expiry, List<String> audiences) {
    static final UnverifiedToken NONE = new UnverifiedToken(Optional.empty(), List.of());

    static UnverifiedToken of(String token) {
        try {
            JWTClaimsSet claims = JWTParser.parse(token).getJWTClaimsSet();
            Optional<Instant> exp = Optional.ofNullable(claims.getExpirationTime()).map(d -> d.toInstant());
            List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
            return new UnverifiedToken(exp, aud);
        } catch (ParseException | RuntimeException e) {
            return NONE;
        }
    }
}
