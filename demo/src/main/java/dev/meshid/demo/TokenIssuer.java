package dev.meshid.demo;

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
import dev.meshid.pki.crypto.CryptoProvider;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A local stand-in for the Kubernetes API server's token signer: it mints service-account tokens shaped like
 * projected tokens ({@code iss}, {@code aud}, {@code sub = system:serviceaccount:NS:SA}, the {@code kubernetes.io}
 * claim, {@code exp}) with its own ES256 key, and publishes the public half as a JWKS file. The CA verifies them
 * with its ordinary JWT/JWKS authenticator, exactly as it verifies a cluster's tokens.
 */
public final class TokenIssuer {
    /** The issuer a real cluster's tokens carry. */
    public static final String KUBERNETES_ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** The audience the CA expects (Istio's). */
    public static final String AUDIENCE = "istio-ca";

    private final String issuer;
    private final Clock clock;
    private final ECKey key;
    private final ECDSASigner signer;

    /** A new issuer with a fresh P-256 key. */
    public TokenIssuer(String issuer, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        KeyPair pair = Keys.generate(KeyAlgorithm.EC_P256);
        try {
            ECKey unnamed = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
                    .privateKey((ECPrivateKey) pair.getPrivate()).build();
            this.key = new ECKey.Builder(unnamed).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID(unnamed.computeThumbprint().toString()).build();
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot set up the demo token key: " + e.getMessage(), e);
        }
        signer.getJCAContext().setProvider(CryptoProvider.get());
    }

    /** The {@code iss} of every token. */
    public String issuer() {
        return issuer;
    }

    /** The public key set, as the CA's {@code --jwks-file} reads it. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A signed token for service account {@code sa} in {@code namespace}, valid for {@code ttl}. */
    public String token(String namespace, String sa, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(List.of(AUDIENCE))
                .subject("system:serviceaccount:" + namespace + ":" + sa)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of("namespace", namespace,
                        "serviceaccount", Map.of("name", sa, "uid", uid(namespace, sa))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the demo token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** Writes the JWKS to {@code file}. */
    public void writeJwks(Path file) throws IOException {
        writeAtomically(file, jwks());
    }

    /** Writes a fresh one-hour token for {@code namespace/sa} to {@code file}, replacing it in one step. */
    public void writeToken(Path file, String namespace, String sa) throws IOException {
        writeAtomically(file, token(namespace, sa, Duration.ofHours(1)));
    }

    // A reader (the agent re-reads the token for every CA call) never sees a half-written file.
    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // Stable per account, like a ServiceAccount object's uid.
    private static String uid(String namespace, String sa) {
        return UUID.nameUUIDFromBytes((namespace + "/" + sa).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }
}
