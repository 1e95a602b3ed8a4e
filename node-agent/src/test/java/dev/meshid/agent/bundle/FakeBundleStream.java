package dev.meshid.agent.bundle;

import dev.meshid.agent.ca.CaCallException;
import dev.meshid.api.bundle.v1.BundleAck;
import dev.meshid.api.bundle.v1.TrustBundle;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link BundleStream} the test drives: it sees every open, sends bundles and ends streams by hand. */
final class FakeBundleStream implements BundleStream {
    final List<StreamObserver<TrustBundle>> opened = new CopyOnWriteArrayList<>();
    final List<BundleAck> acks = new CopyOnWriteArrayList<>();
    volatile List<X509Certificate> trusted = List.of();

    @Override
    public StreamObserver<BundleAck> openBundleStream(StreamObserver<TrustBundle> bundles) throws CaCallException {
        opened.add(bundles);
        return new StreamObserver<>() {
            @Override
            public void onNext(BundleAck value) {
                acks.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    @Override
    public void trustBundleRoots(List<X509Certificate> roots) {
        trusted = List.copyOf(roots);
    }

    /** The incoming side of the newest stream. */
    StreamObserver<TrustBundle> last() {
        return opened.get(opened.size() - 1);
    }
}
