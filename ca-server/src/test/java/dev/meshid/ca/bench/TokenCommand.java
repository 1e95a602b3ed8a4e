package dev.meshid.ca.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token}: makes an ES256 key at run time, writes its public half as the JWKS file the CA verifies with,
 * and one service-account token shaped like a projected Kubernetes token. The private key is never written.
 */
@Command(name = "token", description = "Write a JWKS file for the CA and a service-account JWT for the load driver.")
final class TokenCommand implements Callable<Integer> {
    @Option(names = "--jwks", required = true, description = "JWKS file to write (public key only).")
    Path jwks;
    @Option(names = "--token", required = true, description = "File to write the JWT into (mode 600).")
    Path token;
    @Option(names = "--issuer", defaultValue = "https://kubernetes.default.svc.cluster.local")
    String issuer;
    @Option(names = "--audience", defaultValue = "istio-ca")
    String audience;
    @Option(names = "--namespace", defaultValue = "default")
    String namespace;
    @Option(names = "--service-account", defaultValue = "bench")
    String serviceAccount;
    @Option(names = "--ttl-minutes", defaultValue = "240", description = "Token lifetime (default ${DEFAULT-VALUE}).")
    long ttlMinutes;

    /** A public JWKS and a token signed by its (discarded) private key. */
    record Minted(String jwks, String token) {
    }

    @Override
    public Integer call() throws Exception {
        Minted m = mint(issuer, audience, namespace, serviceAccount, Duration.ofMinutes(ttlMinutes));
        Files.writeString(jwks, m.jwks());
        Files.deleteIfExists(token);
        Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(token, m.token());
        return 0;
    }

    static Minted mint(String issuer, String audience, String namespace, String serviceAccount, Duration ttl)
            throws JOSEException {
        KeyPair kp = Keys.generate(KeyAlgorithm.EC_P256);
        ECKey key = new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic())
                .privateKey((ECPrivateKey) kp.getPrivate()).keyID("bench-" + Long.toHexString(System.nanoTime()))
                .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
        return new Minted(new JWKSet(List.of(key)).toPublicJWKSet().toString(),
                sign(key, claims(issuer, audience, namespace, serviceAccount, ttl)));
    }

    private static JWTClaimsSet claims(String issuer, String audience, String namespace, String serviceAccount,
                                       Duration ttl) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(List.of(audience))
                .subject("system:serviceaccount:" + namespace + ":" + serviceAccount).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .claim("kubernetes.io", Map.of("namespace", namespace,
                        "serviceaccount", Map.of("name", serviceAccount, "uid", "bench-sa-uid"),
                        "pod", Map.of("name", serviceAccount + "-pod", "uid", "bench-pod-uid")))
                .build();
    }

    private static String sign(ECKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key.toECPrivateKey()));
        return jwt.serialize();
    }
}
