package dev.meshid.agent.workloadapi;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.Held;
import dev.meshid.agent.cache.SecretCache;
import dev.meshid.sds.secret.Subscription;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The X.509 half of the SPIFFE Workload API over the agent's {@link SecretCache}: {@code FetchX509SVID} and
 * {@code FetchX509Bundles} answer with the current certificate (or roots) and push every new one until the
 * client goes away. An expired certificate is not sent to a new stream; it waits for a valid one. The JWT
 * methods answer UNIMPLEMENTED (the base class does that): meshid's CA issues no JWT-SVIDs.
 */
public final class WorkloadApiService extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {
    private final SecretCache cache;
    private final Clock clock;

    public WorkloadApiService(SecretCache cache, Clock clock) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void fetchX509SVID(Workload.X509SVIDRequest request,
            StreamObserver<Workload.X509SVIDResponse> observer) {
        stream(observer, X509Messages::svidResponse, false);
    }

    @Override
    public void fetchX509Bundles(Workload.X509BundlesRequest request,
            StreamObserver<Workload.X509BundlesResponse> observer) {
        stream(observer, X509Messages::bundlesResponse, true);
    }

    private <T> void stream(StreamObserver<T> observer, Function<IssuedCertificate, T> message, boolean rootsOnly) {
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
        Object sendLock = new Object();
        // Subscribe first, then send the current value, so no rotation in between is missed.
        Subscription sub = cache.addListener((cert, rootsChanged) -> {
            if (!rootsOnly || rootsChanged) {
                send(call, sendLock, message.apply(cert));
            }
        });
        call.setOnCancelHandler(sub::close);
        Optional<Held> held = cache.held();
        if (held.isPresent() && !held.get().certificate().expiredAt(clock.instant())) {
            send(call, sendLock, message.apply(held.get().certificate()));
        }
    }

    private static <T> void send(ServerCallStreamObserver<T> call, Object lock, T value) {
        synchronized (lock) {
            if (!call.isCancelled()) {
                call.onNext(value);
            }
        }
    }
}
