package dev.meshid.agent.workloadapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.SecretCache;
import dev.meshid.agent.testing.Certs;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.sds.client.SdsChannels;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadApiTest {
    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/web");
    private final Clock clock = Clock.systemUTC();
    private final TestPki.Issued ca = TestPki.root("WL Root").build().intermediate("WL CA").build();

    @Test
    void defaultX509Source_getsTheSvidAndSeesARotation(@TempDir Path dir) throws Exception {
        SecretCache cache = new SecretCache(clock, false);
        IssuedCertificate first = Certs.issue(ca, ID, Duration.ofHours(1), clock);
        cache.accept(first, clock.instant().plusSeconds(1800));
        Path socket = dir.resolve("spiffe.sock");
        try (WorkloadApiServer server = WorkloadApiServer.start(socket, new WorkloadApiService(cache, clock));
                DefaultX509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
                        .spiffeSocketPath("unix://" + socket.toAbsolutePath()).initTimeout(Duration.ofSeconds(20))
                        .build())) {
            assertThat(source.getX509Svid().getSpiffeId().toString()).isEqualTo(ID.toString());
            assertThat(source.getX509Svid().getLeaf()).isEqualTo(first.leaf());
            assertThat(source.getX509Svid().getPrivateKey().getEncoded()).isEqualTo(first.key().getEncoded());
            assertThat(source.getBundleForTrustDomain(TrustDomain.parse("cluster.local")).getX509Authorities())
                    .containsExactlyElementsOf(first.roots());

            IssuedCertificate second = Certs.issue(ca, ID, Duration.ofHours(1), clock);
            cache.accept(second, clock.instant().plusSeconds(1800));
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> source.getX509Svid().getLeaf().equals(second.leaf()));
        }
    }

    @Test
    void fetchX509Svid_withoutSecurityHeader_isInvalidArgument(@TempDir Path dir) throws Exception {
        SecretCache cache = new SecretCache(clock, false);
        cache.accept(Certs.issue(ca, ID, Duration.ofHours(1), clock), clock.instant().plusSeconds(1800));
        Path socket = dir.resolve("spiffe.sock");
        try (WorkloadApiServer server = WorkloadApiServer.start(socket, new WorkloadApiService(cache, clock))) {
            ManagedChannel ch = SdsChannels.unixSocket(socket);
            try {
                var stub = SpiffeWorkloadAPIGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> stub.fetchX509SVID(Workload.X509SVIDRequest.getDefaultInstance()).next())
                        .isInstanceOf(StatusRuntimeException.class)
                        .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("workload.spiffe.io");
            } finally {
                ch.shutdownNow();
            }
        }
    }
}
