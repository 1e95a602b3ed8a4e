package dev.meshid.ca.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.ca.authn.Authenticator;
import dev.meshid.ca.authn.Caller;
import dev.meshid.ca.config.Setting;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import com.google.common.util.concurrent.ListenableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Beyond the in-flight bound the CA answers RESOURCE_EXHAUSTED at once; admitted calls still complete. */
class OverloadE2ETest {
    @TempDir
    Path dir;

    @Test
    void createCertificate_moreCallsThanInFlightBound_excessGetsResourceExhaustedQuicklyAndNoneHang() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        // Holds every admitted call inside authentication until the test releases it: the slots stay taken.
        Authenticator slow = request -> {
            entered.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Caller(CaFixture.id("default", "web"), "test", Optional.empty());
        };
        try (PlainCa ca = new PlainCa(dir, slow, Map.of(Setting.MAX_IN_FLIGHT, "2", Setting.SIGNING_THREADS, "2"))) {
            ca.keys.deliver(ca.bundle());
            var stub = IstioCertificateServiceGrpc.newFutureStub(ca.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
                    .setCsr(CaFixture.csr("default", "web")).build();
            List<ListenableFuture<IstioCertificateResponse>> admitted = List.of(stub.createCertificate(request),
                    stub.createCertificate(request));
            await().atMost(Duration.ofSeconds(10)).until(() -> entered.get() == 2);

            long started = System.nanoTime();
            List<ListenableFuture<IstioCertificateResponse>> excess = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                excess.add(stub.createCertificate(request));
            }
            for (ListenableFuture<IstioCertificateResponse> f : excess) {
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> f.get(5, TimeUnit.SECONDS));
                assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(entered.get()).as("refused calls never reached authentication").isEqualTo(2);

            release.countDown();
            for (ListenableFuture<IstioCertificateResponse> f : admitted) {
                assertThat(f.get(20, TimeUnit.SECONDS).getCertChainCount()).as("leaf, signing CA, root").isEqualTo(3);
            }
            assertThat(ca.get("/metrics", null).body())
                    .contains("citadel_server_csr_sign_err_count{error=\"Overloaded\"} 20");
        } finally {
            release.countDown();
        }
    }

}
