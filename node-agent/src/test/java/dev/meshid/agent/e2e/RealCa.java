package dev.meshid.agent.e2e;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real meshid CA ({@link CaServer}) on 127.0.0.1 with a plug-in CA made at test time (root -> signing
 * intermediate, Istio's files) and JWT authentication against a JWKS file whose key is made at test time. It can
 * be stopped and started again on the same port with the same material (a CA outage).
 */
final class RealCa implements AutoCloseable {
    static final String SERVER_NAME = "istiod.istio-system.svc";
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    final TestPki.Issued root;
    final TestPki.Issued signing;
    final Path rootFile;
    private final Path cacerts;
    private final Path jwksFile;
    private final ECKey jwk;
    private CaServer server;
    private int port;

    private final Map<Setting, String> extra;

    RealCa(Path dir) throws Exception {
        this(dir, Map.of());
    }

    /** A CA with {@code extra} settings on top of the defaults (e.g. {@code MAX_IN_FLIGHT}). */
    RealCa(Path dir, Map<Setting, String> extra) throws Exception {
        this.extra = Map.copyOf(extra);
        root = TestPki.root("E2E Root").validFor(Duration.ofDays(365)).build();
        signing = root.intermediate("E2E Signing CA").validFor(Duration.ofDays(180)).build();
        cacerts = dir.resolve("cacerts");
        new KeyCertBundle(signing.signer(), List.of(), new TrustBundle(List.of(root.cert()))).writePluginFiles(cacerts);
        rootFile = Files.writeString(dir.resolve("ca-root.pem"), Pem.write(root.cert()));
        KeyPair kp = Keys.generate(KeyAlgorithm.EC_P256);
        jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).privateKey((ECPrivateKey) kp.getPrivate())
                .keyID("k1").algorithm(JWSAlgorithm.ES256).build();
        jwksFile = Files.writeString(dir.resolve("jwks.json"), new JWKSet(List.of(jwk)).toPublicJWKSet().toString());
        start();
    }

    /** Starts the CA (on the port it had before, after the first start). */
    void start() throws Exception {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:" + port);
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.CACERTS_DIR, cacerts.toString());
        flags.put(Setting.JWKS_FILE, jwksFile.toString());
        flags.put(Setting.JWT_ISSUER, ISSUER);
        flags.putAll(extra);
        server = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of()).build().start();
        InetSocketAddress address = server.grpcAddress().get(30, TimeUnit.SECONDS);
        port = address.getPort();
    }

    /** The command-line flags of {@code meshid ca} for the same CA on {@code port}, to run it as a process. */
    List<String> commandLine(int grpcPort) {
        return List.of("--grpc-addr", "127.0.0.1:" + grpcPort, "--http-addr", "127.0.0.1:0", "--cacerts-dir",
                cacerts.toString(), "--jwks-file", jwksFile.toString(), "--jwt-issuer", ISSUER);
    }

    /** Writes {@code roots} as the plug-in root bundle; the CA picks it up at its next poll of the directory. */
    void trustRoots(List<java.security.cert.X509Certificate> roots) throws java.io.IOException {
        Files.writeString(cacerts.resolve("root-cert.pem"), Pem.write(roots));
    }

    /** The CA's HTTP port (health, /bundle, /debug/rotation). */
    int httpPort() {
        return server.httpPort();
    }

    void stop() {
        server.close();
        server = null;
    }

    int port() {
        return port;
    }

    /** A service-account token for {@code ns/sa}, valid for an hour, audience istio-ca. */
    String token(String ns, String sa) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of("istio-ca"))
                .subject("system:serviceaccount:" + ns + ":" + sa).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("kubernetes.io", Map.of("namespace", ns, "serviceaccount", Map.of("name", sa, "uid", "u-1")))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(jwk.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(jwk.toECPrivateKey()));
        return jwt.serialize();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
