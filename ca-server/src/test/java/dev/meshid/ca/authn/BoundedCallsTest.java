package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshid.pki.testing.FakeClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How {@link BoundedCalls} treats an API server that failed: fail fast, one probe at a time, recover. */
class BoundedCallsTest {
    private final FakeClock clock = FakeClock.at("2026-01-01T00:00:00Z");
    private final BoundedCalls calls = new BoundedCalls(Executors.newFixedThreadPool(4), clock);
    private final ExecutorService callers = Executors.newSingleThreadExecutor();
    private final AtomicInteger ran = new AtomicInteger();

    @AfterEach
    void close() {
        calls.close();
        callers.shutdownNow();
    }

    private AuthenticationException refusedCall() {
        return catchThrowableOfType(AuthenticationException.class,
                () -> calls.call("tokenreview", "TokenReview", Duration.ofSeconds(5), ran::incrementAndGet));
    }

    @Test
    void call_afterAnUnavailableFailure_otherCallsFailAtOnceAndOneProbeEndsIt() throws Exception {
        AuthenticationException first = catchThrowableOfType(AuthenticationException.class, () -> calls.call(
                "tokenreview", "TokenReview", Duration.ofSeconds(5), () -> {
                    throw AuthenticationException.unavailable("tokenreview", "connection refused", null);
                }));
        assertThat(first.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(calls.apiServerDown()).isTrue();

        // Within the probe gap: refused without being run, naming why.
        AuthenticationException soon = refusedCall();
        assertThat(soon.kind()).isEqualTo(AuthenticationException.Kind.UNAVAILABLE);
        assertThat(soon.reason()).contains("treated as down", "connection refused");
        assertThat(ran).hasValue(0);

        // After the gap one call probes; while it waits, others are still refused.
        clock.advance(BoundedCalls.PROBE_GAP);
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        Future<Integer> probe = callers.submit(() -> calls.call("tokenreview", "TokenReview", Duration.ofSeconds(10),
                () -> {
                    probing.countDown();
                    answer.await();
                    return 42;
                }));
        assertThat(probing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(refusedCall()).isNotNull();
        assertThat(ran).hasValue(0);

        answer.countDown();
        assertThat(probe.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(calls.apiServerDown()).isFalse();
        assertThat(calls.call("tokenreview", "TokenReview", Duration.ofSeconds(5), ran::incrementAndGet)).isEqualTo(1);
    }

    @Test
    void call_refusedTokenIsAnAnswer_theApiServerIsNotCountedAsDown() throws Exception {
        AuthenticationException refused = catchThrowableOfType(AuthenticationException.class, () -> calls.call(
                "tokenreview", "TokenReview", Duration.ofSeconds(5), () -> {
                    throw AuthenticationException.unauthenticated("tokenreview", "token expired");
                }));

        assertThat(refused.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(calls.apiServerDown()).isFalse();
        assertThat(calls.call("tokenreview", "TokenReview", Duration.ofSeconds(5), ran::incrementAndGet)).isEqualTo(1);
    }

    @Test
    void call_noAnswerWithinTheTimeout_isUnavailableAndCountsTheApiServerAsDown() {
        AuthenticationException slow = catchThrowableOfType(AuthenticationException.class, () -> calls.call(
                "tokenreview", "TokenReview", Duration.ofMillis(50), () -> {
                    new CountDownLatch(1).await(); // a hung API server, until the timeout cancels the call
                    return 0;
                }));

        assertThat(slow.reason()).contains("did not answer within");
        assertThat(calls.apiServerDown()).isTrue();
    }
}
