package dev.meshid.ca.authn;

import com.nimbusds.jose.JWSAlgorithm;
import dev.meshid.pki.id.TrustDomain;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of {@link JwtAuthenticator}.
 *
 * @param issuer the exact {@code iss} accepted (the cluster's service-account issuer)
 * @param audiences a token's {@code aud} must contain at least one of these (default {@code istio-ca})
 * @param trustDomain the trust domain of the SPIFFE IDs derived from service accounts
 * @param clockSkew tolerance on {@code exp}, {@code nbf} and {@code iat} (default 30 s)
 * @param algorithms the signature algorithms accepted (default RS256/384/512, ES256/384/512; never HMAC or none)
 */
public record JwtSettings(String issuer, List<String> audiences, TrustDomain trustDomain, Duration clockSkew,
                          Set<JWSAlgorithm> algorithms) {

    /** Asymmetric algorithms only: a JWKS of shared secrets would let anyone who reads it mint tokens. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    public JwtSettings {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("JWT issuer is empty; set it to the cluster's service-account issuer "
                    + "(kube-apiserver --service-account-issuer)");
        }
        Objects.requireNonNull(trustDomain, "trustDomain");
        audiences = audiences == null || audiences.isEmpty() ? AuthnDefaults.AUDIENCES : List.copyOf(audiences);
        clockSkew = clockSkew == null ? AuthnDefaults.CLOCK_SKEW : clockSkew;
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("JWT clock skew must not be negative, got " + clockSkew);
        }
        algorithms = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS : Set.copyOf(algorithms);
        for (JWSAlgorithm alg : algorithms) {
            if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)) {
                throw new IllegalArgumentException("JWT algorithm " + alg + " is not allowed; use RSA or ECDSA algorithms");
            }
        }
    }

    /** Defaults for everything but the issuer and trust domain. */
    public static JwtSettings of(String issuer, TrustDomain trustDomain) {
        return new JwtSettings(issuer, null, trustDomain, null, null);
    }

    public JwtSettings withAudiences(List<String> newAudiences) {
        return new JwtSettings(issuer, newAudiences, trustDomain, clockSkew, algorithms);
    }

    public JwtSettings withClockSkew(Duration skew) {
        return new JwtSettings(issuer, audiences, trustDomain, skew, algorithms);
    }
}
