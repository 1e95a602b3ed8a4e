package dev.meshid.ca.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.csr.CsrBuilder;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.OpenSsl;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link CaServer}, configured as {@code meshid ca --vault-*} would configure it, on 127.0.0.1 with
 * JWT authentication against a JWKS minted at test time; a grpc-java client over TLS and an HTTP client for the
 * probes and metrics.
 */
public final class VaultCa implements AutoCloseable {
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private final ECKey jwtKey;
    private final HttpClient http = HttpClient.newHttpClient();
    public final CaServer server;
    private ManagedChannel channel;

    /** Builds and starts the CA; {@code flags} add to the listen addresses and JWT settings. */
    public VaultCa(Path dir, Map<Setting, String> flags, Map<String, String> env) throws Exception {
        KeyPair kp = Keys.generate(KeyAlgorithm.EC_P256);
        jwtKey = new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).privateKey((ECPrivateKey) kp.getPrivate())
                .keyID("k1").algorithm(JWSAlgorithm.ES256).build();
        Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(jwtKey).toPublicJWKSet().toString());
        Map<Setting, String> all = new EnumMap<>(Setting.class);
        all.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        all.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        all.put(Setting.JWKS_FILE, jwks.toString());
        all.put(Setting.JWT_ISSUER, ISSUER);
        all.putAll(flags);
        server = CaServer.builder(ConfigLoader.load(all, env)).env(env).build().start();
    }

    /** The TLS channel, trusting {@code root}; the gRPC port opens once the CA has signing material. */
    private ManagedChannel channel(X509Certificate root) throws Exception {
        if (channel == null) {
            var address = server.grpcAddress().get(30, TimeUnit.SECONDS);
            channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
                    TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                            Pem.write(root).getBytes(StandardCharsets.US_ASCII))).build())
                    .overrideAuthority("istiod.istio-system.svc").build();
        }
        return channel;
    }

    /** Asks for default/web's certificate; returns the chain (leaf, intermediates..., root bundle). */
    List<String> issue(X509Certificate root) throws Exception {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token());
        return IstioCertificateServiceGrpc.newBlockingStub(channel(root))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(Pem.write(CsrBuilder
                        .forKeyPair(Keys.generate(KeyAlgorithm.EC_P256), id).build())).build())
                .getCertChainList();
    }

    /**
     * Checks a returned chain as istio-agent would and with the real {@code openssl verify} against
     * {@code root} alone; returns the intermediates the CA sent.
     */
    static List<X509Certificate> verifyWithOpenssl(List<String> chain, X509Certificate root) throws Exception {
        assertThat(Pem.readCertificates(chain.get(chain.size() - 1))).containsExactly(root);
        X509Certificate leaf = Pem.readCertificate(chain.get(0));
        assertThat(SvidInfo.requireSpiffeId(leaf).toString()).isEqualTo("spiffe://cluster.local/ns/default/sa/web");
        List<X509Certificate> intermediates = new ArrayList<>();
        for (String pem : chain.subList(1, chain.size() - 1)) {
            intermediates.add(Pem.readCertificate(pem));
        }
        OpenSsl.Result r = OpenSsl.verify(List.of(root), intermediates, leaf, "-purpose", "sslclient");
        assertThat(r.ok()).as("openssl verify: %s", r.output()).isTrue();
        assertThat(r.output()).contains("OK");
        return intermediates;
    }

    /** A service-account token for default/web, valid for an hour, audience istio-ca. */
    public String token() throws JOSEException {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of("istio-ca"))
                        .subject("system:serviceaccount:default:web").issueTime(Date.from(now))
                        .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                        .claim("kubernetes.io", Map.of("namespace", "default", "serviceaccount",
                                Map.of("name", "web", "uid", "u-1")))
                        .build());
        jwt.sign(new ECDSASigner(jwtKey.toECPrivateKey()));
        return jwt.serialize();
    }

    /** GET on the CA's HTTP port. */
    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one un-labelled series on {@code /metrics}, or NaN when absent. */
    double metric(String name) throws Exception {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        server.close();
    }
}
