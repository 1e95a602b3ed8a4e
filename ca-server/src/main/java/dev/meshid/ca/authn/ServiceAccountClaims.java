package dev.meshid.ca.authn;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claim checks of a Kubernetes service-account token whose signature has been verified: issuer, audience,
 * validity window, subject, and the {@code kubernetes.io} claim agreeing with the subject.
 */
final class ServiceAccountClaims {
    static final String KUBERNETES_CLAIM = "kubernetes.io";

    private ServiceAccountClaims() {
    }

    /** The caller's Kubernetes identity, or an exception naming the first claim that is not acceptable. */
    static KubernetesIdentity check(JWTClaimsSet claims, JwtSettings settings, Instant now, String authenticator)
            throws AuthenticationException {
        if (!settings.issuer().equals(claims.getIssuer())) {
            throw fail(authenticator, "token issuer " + quote(claims.getIssuer()) + " is not the configured issuer "
                    + quote(settings.issuer()));
        }
        checkAudience(claims.getAudience(), settings.audiences(), authenticator);
        checkTimes(claims, settings.clockSkew(), now, authenticator);
        String sub = claims.getSubject();
        ServiceAccountUser user = ServiceAccountUser.parse(sub).orElseThrow(() -> fail(authenticator,
                "token subject " + quote(sub) + " is not a service account (system:serviceaccount:<namespace>:<name>)"));
        return withKubernetesClaim(claims, user, authenticator);
    }

    /** Shared with TokenReview's log line, so both name the mismatch the same way. */
    static String audienceMismatch(List<String> tokenAudiences, List<String> accepted) {
        String first = accepted.get(0);
        return "token audience " + LogText.list(tokenAudiences) + " does not include any of " + accepted + "; mint the token with "
                + "audience " + first + " (projected serviceAccountToken audience)";
    }

    private static void checkAudience(List<String> audiences, List<String> accepted, String authenticator)
            throws AuthenticationException {
        if (audiences == null || audiences.stream().noneMatch(accepted::contains)) {
            throw fail(authenticator, audienceMismatch(audiences == null ? List.of() : audiences, accepted));
        }
    }

    private static void checkTimes(JWTClaimsSet claims, Duration skew, Instant now, String authenticator)
            throws AuthenticationException {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw fail(authenticator, "token has no exp claim; legacy service-account secret tokens are not accepted, "
                    + "use a projected service-account token");
        }
        if (now.isAfter(exp.toInstant().plus(skew))) {
            throw fail(authenticator, "token expired at " + exp.toInstant() + " (now " + now + ", allowed skew " + skew
                    + "); the client must re-read its rotated token file");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            throw fail(authenticator, "token is not valid before " + nbf.toInstant() + " (now " + now
                    + ", allowed skew " + skew + "); check the clocks of the CA and the token issuer");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(skew).isBefore(iat.toInstant())) {
            throw fail(authenticator, "token is issued in the future, at " + iat.toInstant() + " (now " + now
                    + ", allowed skew " + skew + "); check the clocks of the CA and the token issuer");
        }
    }

    private static KubernetesIdentity withKubernetesClaim(JWTClaimsSet claims, ServiceAccountUser user,
                                                          String authenticator) throws AuthenticationException {
        Map<String, Object> k8s;
        try {
            k8s = claims.getJSONObjectClaim(KUBERNETES_CLAIM);
        } catch (ParseException e) {
            throw fail(authenticator, "token claim " + KUBERNETES_CLAIM + " is not a JSON object");
        }
        if (k8s == null) {
            return user.identity(Optional.empty(), Optional.empty());
        }
        Object namespace = k8s.get("namespace");
        Object account = nested(k8s, "serviceaccount", "name");
        if (!user.namespace().equals(namespace) || !user.name().equals(account)) {
            throw fail(authenticator, "token claim " + KUBERNETES_CLAIM + " names namespace " + quote(namespace)
                    + " and service account " + quote(account) + ", which disagrees with the subject " + user);
        }
        return user.identity(text(nested(k8s, "pod", "name")), text(nested(k8s, "pod", "uid")));
    }

    private static Object nested(Map<String, Object> object, String key, String field) {
        return object.get(key) instanceof Map<?, ?> inner ? inner.get(field) : null;
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static String quote(Object value) {
        return LogText.quote(value);
    }

    private static AuthenticationException fail(String authenticator, String reason) {
        return AuthenticationException.unauthenticated(authenticator, reason);
    }
}
