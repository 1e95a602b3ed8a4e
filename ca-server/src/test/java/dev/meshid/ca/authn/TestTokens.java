package dev.meshid.ca.authn;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Mints Kubernetes-like service-account tokens at test time with keys generated at test time. */
final class TestTokens {
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    private TestTokens() {
    }

    /** A signing key pair as a JWK (private part included) with the given kid. */
    static JWK rsaKey(String kid) {
        KeyPair kp = Keys.generate(KeyAlgorithm.RSA_2048);
        return new RSAKey.Builder((RSAPublicKey) kp.getPublic()).privateKey(kp.getPrivate()).keyID(kid)
                .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
    }

    static JWK ecKey(String kid) {
        KeyPair kp = Keys.generate(KeyAlgorithm.EC_P256);
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).privateKey((ECPrivateKey) kp.getPrivate())
                .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
    }

    /** The public JWKS for these keys, as JSON. */
    static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** Claims of a bound token for {@code ns/sa} in pod {@code pod}, valid from {@code now} for an hour. */
    static JWTClaimsSet.Builder claims(Instant now, String ns, String sa, String pod) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of("istio-ca"))
                .subject("system:serviceaccount:" + ns + ":" + sa)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("kubernetes.io", Map.of(
                        "namespace", ns,
                        "serviceaccount", Map.of("name", sa, "uid", "sa-uid-1"),
                        "pod", Map.of("name", pod, "uid", "pod-uid-" + pod)));
    }

    /** Signs with {@code key}, naming its kid (or {@code kidOverride} when not null). */
    static String sign(JWK key, JWTClaimsSet claims) {
        return sign(key, claims, key.getKeyID());
    }

    static String sign(JWK key, JWTClaimsSet claims, String kid) {
        try {
            JWSSigner signer;
            JWSAlgorithm alg;
            if (key instanceof RSAKey rsa) {
                signer = new RSASSASigner(rsa.toPrivateKey());
                alg = JWSAlgorithm.RS256;
            } else {
                signer = new ECDSASigner(((ECKey) key).toECPrivateKey());
                alg = JWSAlgorithm.ES256;
            }
            signer.getJCAContext().setProvider(CryptoProvider.get());
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}). */
    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }
}
