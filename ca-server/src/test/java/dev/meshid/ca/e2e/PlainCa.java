package dev.meshid.ca.e2e;

import dev.meshid.ca.CaServer;
import dev.meshid.ca.authn.Authenticator;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.TrustBundle;
import dev.meshid.pki.testing.TestPki;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A CA with {@code --insecure-plaintext} (so its gRPC port is open before any signing material exists), a
 * {@link ManualKeySource}, JWT authentication or an injected authenticator, and HTTP helpers.
 */
final class PlainCa implements AutoCloseable {
    final Tokens tokens = new Tokens("key-1");
    final ManualKeySource keys = new ManualKeySource();
    final TestPki.Issued root = TestPki.root("Root CA").validFor(Duration.ofDays(365)).build();
    final TestPki.Issued signing = root.intermediate("Signing CA").validFor(Duration.ofDays(180)).build();
    final CaServer server;
    final InetSocketAddress address;
    final ManagedChannel channel;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PlainCa(Path dir, Authenticator authenticator, Map<Setting, String> extra) throws Exception {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.INSECURE_PLAINTEXT, "true");
        flags.put(Setting.JWKS_FILE, Files.writeString(dir.resolve("jwks.json"), tokens.jwks()).toString());
        flags.put(Setting.JWT_ISSUER, Tokens.ISSUER);
        flags.putAll(extra);
        CaServer.Builder b = CaServer.builder(ConfigLoader.load(flags, Map.of())).env(Map.of()).keySource(keys);
        if (authenticator != null) {
            b.authenticator(authenticator);
        }
        server = b.build().start();
        address = server.grpcAddress().get(30, TimeUnit.SECONDS);
        channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
                InsecureChannelCredentials.create()).build();
    }

    KeyCertBundle bundle() {
        return new KeyCertBundle(signing.signer(), List.of(), new TrustBundle(List.of(root.cert())));
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(5));
        if (accept != null) {
            r.header("Accept", accept);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
    }
}
