package dev.meshid.agent.bundle;

import dev.meshid.agent.ca.CaCallException;
import dev.meshid.api.bundle.v1.BundleAck;
import dev.meshid.api.bundle.v1.TrustBundle;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.security.cert.X509Certificate;

/** What the {@link BundleWatcher} needs from the CA connection; the CA client implements it, tests fake it. */
public interface BundleStream {

    /**
     * Opens one {@code TrustBundleService/WatchBundle} call, authenticated as a certificate request is.
     *
     * @param bundles receives the CA's bundles and the end of the call
     * @return where the acks go
     * @throws CaCallException when the call cannot even be started (no token file, no CA root)
     */
    StreamObserver<BundleAck> openBundleStream(StreamObserver<TrustBundle> bundles) throws CaCallException;

    /** Trust {@code roots} too when verifying the CA, beside the CA root file. */
    void trustBundleRoots(List<X509Certificate> roots);
}
