package dev.meshid.ca.e2e;

import dev.meshid.api.bundle.v1.BundleAck;
import dev.meshid.api.bundle.v1.TrustBundle;
import dev.meshid.api.bundle.v1.TrustBundleServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A grpc-java client of {@code WatchBundle}: collects the bundles it receives and answers when told to. */
final class BundleStream implements AutoCloseable {
    final BlockingQueue<TrustBundle> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final StreamObserver<BundleAck> acks;

    BundleStream(ManagedChannel channel, Metadata headers) {
        acks = TrustBundleServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .watchBundle(new StreamObserver<>() {
                    @Override
                    public void onNext(TrustBundle value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        finished.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        finished.complete(null);
                    }
                });
    }

    /** The next bundle, waiting up to 20 s. */
    TrustBundle next() throws InterruptedException {
        TrustBundle b = received.poll(20, TimeUnit.SECONDS);
        if (b == null) {
            throw new AssertionError("no bundle received within 20 s");
        }
        return b;
    }

    void ack(String version) {
        acks.onNext(BundleAck.newBuilder().setVersion(version).build());
    }

    void refuse(String version, String error) {
        acks.onNext(BundleAck.newBuilder().setVersion(version).setError(error).build());
    }

    /** Half-closes the stream, as an agent shutting down does. */
    @Override
    public void close() {
        try {
            acks.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // the server ended the call first
        }
    }
}
