package dev.meshid.ca.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Service-account tokens minted at test time with an EC key generated at test time. */
final class Tokens {
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    final ECKey key;

    Tokens(String kid) {
        key = ecKey(kid);
    }

    static ECKey ecKey(String kid) {
        KeyPair kp = Keys.generate(KeyAlgorithm.EC_P256);
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).privateKey((ECPrivateKey) kp.getPrivate())
                .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
    }

    /** The public JWKS, as a file's content. */
    String jwks() {
        return new JWKSet(List.of(key)).toPublicJWKSet().toString();
    }

    static JWTClaimsSet.Builder claims(String ns, String sa) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of("istio-ca"))
                .subject("system:serviceaccount:" + ns + ":" + sa).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("kubernetes.io", Map.of("namespace", ns, "serviceaccount", Map.of("name", sa, "uid", "u-1"),
                        "pod", Map.of("name", sa + "-pod", "uid", "p-1")));
    }

    String token(String ns, String sa) {
        return sign(key, claims(ns, sa).build());
    }

    String sign(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    static String sign(ECKey with, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(with.toECPrivateKey()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }
}
