package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.CaServer;
import dev.meshid.ca.authn.Caller;
import dev.meshid.ca.bundle.AgentView;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigLoader;
import dev.meshid.ca.config.Setting;
import dev.meshid.ca.keysource.DirRootStore;
import dev.meshid.ca.keysource.ManualScheduler;
import dev.meshid.ca.keysource.RootLayout;
import dev.meshid.ca.keysource.SelfSignedKeySource;
import dev.meshid.ca.keysource.SelfSignedOptions;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.FakeClock;
import dev.meshid.pki.testing.OpenSsl;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-signed root rotating by itself on a running CA over real TLS gRPC, on a fake clock: a grpc-java
 * client plays a node agent on the bundle stream (it trusts only the bundle it holds and acks what it gets),
 * every leaf is checked with openssl against the bundle the agent holds at that moment, and a CA restarted on
 * the same directory half-way continues the rotation.
 */
class SelfSignedRotationE2ETest {
    static final Duration VALIDITY = Duration.ofDays(10);
    static final Duration CHECK = Duration.ofHours(1);
    static final Duration TTL = Duration.ofHours(4);
    static final String ID = "spiffe://cluster.local/ns/default/sa/web";

    @TempDir
    Path dir;
    final FakeClock clock = FakeClock.at("2026-03-01T00:00:00Z");
    final ManualScheduler scheduler = new ManualScheduler(clock);
    volatile List<X509Certificate> held = List.of();
    CaServer server;
    ManagedChannel channel;
    BundleStream agent;

    CaServer start() throws Exception {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.GRPC_ADDR, "127.0.0.1:0");
        flags.put(Setting.HTTP_ADDR, "127.0.0.1:0");
        flags.put(Setting.DEFAULT_TTL, "4h");
        flags.put(Setting.MAX_TTL, "4h");
        CaConfig config = ConfigLoader.load(flags, Map.of("MESHID_ROOT_ROTATION_GRACE", "6h"));
        SelfSignedOptions options = SelfSignedOptions.defaults(config.trustDomain()).withValidity(VALIDITY)
                .withCheckInterval(CHECK);
        server = CaServer.builder(config).env(Map.of()).clock(clock)
                .authenticator(req -> new Caller(dev.meshid.pki.id.SpiffeId.parse(ID), "test", Optional.empty(),
                        Optional.empty()))
                .keySource(rotation -> new SelfSignedKeySource(new DirRootStore(dir.resolve("ca"), RootLayout.MESHID),
                        options, clock, scheduler, Optional.of(rotation)))
                .build().start();
        scheduler.runDue();
        InetSocketAddress address = server.grpcAddress().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> server.signer().ready());
        if (held.isEmpty()) {
            // A new agent is given the CA's bundle out of band, as istio-ca-root-cert gives it.
            held = server.signer().active().orElseThrow().bundle().roots().roots();
        }
        channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
                        TlsChannelCredentials.newBuilder().trustManager(new HeldBundleTrustManager(() -> held, clock))
                                .build())
                .overrideAuthority(CaFixture.AUTHORITY).build();
        agent = new BundleStream(channel, new Metadata());
        return server;
    }

    @AfterEach
    void stop() {
        closeCa();
    }

    void closeCa() {
        if (agent != null) {
            agent.close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The agent takes bundles until one matches, holds it and acks it. */
    List<X509Certificate> receive(Predicate<List<X509Certificate>> wanted) throws Exception {
        while (true) {
            TrustBundle b = agent.next();
            List<X509Certificate> roots = BundleStreamE2ETest.roots(b);
            if (wanted.test(roots)) {
                held = roots;
                agent.ack(b.getVersion());
                return roots;
            }
        }
    }

    void awaitAcked(X509Certificate root) {
        String fp = Certs.fingerprint(root);
        await().atMost(Duration.ofSeconds(20)).until(() -> server.bundleWatchers().agents().stream()
                .map(AgentView::ackedRoots).anyMatch(r -> r.contains(fp)));
    }

    X509Certificate leaf() throws Exception {
        String csr = Pem.write(dev.meshid.pki.csr.CsrBuilder.forKeyPair(
                dev.meshid.pki.crypto.Keys.generate(dev.meshid.pki.crypto.KeyAlgorithm.EC_P256),
                dev.meshid.pki.id.SpiffeId.parse(ID)).build());
        return Pem.readCertificate(IstioCertificateServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .createCertificate(IstioCertificateRequest.newBuilder().setCsr(csr).build()).getCertChain(0));
    }

    boolean verifies(List<X509Certificate> roots, X509Certificate leaf) {
        return OpenSsl.verify(roots, List.of(), leaf, OpenSsl.atTime(clock.instant())).ok();
    }

    X509Certificate signingRoot() {
        return server.signer().active().orElseThrow().bundle().root();
    }

    void advanceTo(Instant t) {
        while (clock.instant().isBefore(t)) {
            scheduler.advance(CHECK);
        }
    }

    @Test
    void rotation_overTls_leavesBeforeDuringAndAfterVerifyForTheAgent_andARestartedCaContinues() throws Exception {
        start();
        X509Certificate oldRoot = receive(r -> r.size() == 1).get(0);
        awaitAcked(oldRoot);
        X509Certificate before = leaf();
        assertThat(verifies(held, before)).as("leaf before the rotation").isTrue();

        long life = VALIDITY.toSeconds();
        advanceTo(oldRoot.getNotAfter().toInstant().minusSeconds((long) Math.floor(life * 0.2)).plus(CHECK));
        List<X509Certificate> both = receive(r -> r.size() == 2);
        assertThat(both).contains(oldRoot);
        X509Certificate newRoot = both.stream().filter(r -> !r.equals(oldRoot)).findFirst().orElseThrow();
        assertThat(signingRoot()).isEqualTo(oldRoot);
        X509Certificate during = leaf();
        assertThat(verifies(held, during)).as("leaf signed while the new root waits for acks").isTrue();
        assertThat(Files.exists(dir.resolve("ca").resolve("next-root-cert.pem"))).isTrue();

        // A CA restarted on the same directory continues the rotation: the same next root, no third one.
        closeCa();
        start();
        assertThat(receive(r -> true)).containsExactlyInAnyOrderElementsOf(both);
        assertThat(signingRoot()).isEqualTo(oldRoot);
        awaitAcked(newRoot);
        scheduler.advance(CHECK);

        await().atMost(Duration.ofSeconds(20)).until(() -> signingRoot().equals(newRoot));
        X509Certificate after = leaf();
        assertThat(verifies(held, after)).as("leaf after the switch").isTrue();
        assertThat(verifies(List.of(oldRoot), after)).as("the old root alone trusts no new leaf").isFalse();
        assertThat(verifies(held, during)).as("a leaf under the old root stays valid").isTrue();

        // The old root stays while any leaf under it may be valid (the CA's own serving certificate included).
        while (server.signer().active().orElseThrow().bundle().roots().roots().size() > 1
                && clock.instant().isBefore(oldRoot.getNotAfter().toInstant())) {
            scheduler.advance(CHECK);
        }
        assertThat(clock.instant()).isAfterOrEqualTo(during.getNotAfter().toInstant())
                .isBefore(oldRoot.getNotAfter().toInstant());
        List<X509Certificate> onlyNew = receive(r -> r.size() == 1);
        assertThat(onlyNew).containsExactly(newRoot);
        X509Certificate later = leaf();
        assertThat(verifies(held, later)).as("leaf after the old root left").isTrue();
        assertThat(Files.exists(dir.resolve("ca").resolve("next-root-cert.pem"))).isFalse();
    }
}
