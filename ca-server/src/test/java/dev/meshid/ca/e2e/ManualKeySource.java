package dev.meshid.ca.e2e;

import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.KeySourceListener;
import dev.meshid.pki.bundle.KeyCertBundle;

/** A key source that delivers only when the test says so (a slow or not yet configured source). */
final class ManualKeySource implements KeySource {
    private volatile KeySourceListener listener;

    @Override
    public String name() {
        return "manual";
    }

    @Override
    public void start(KeySourceListener l) {
        this.listener = l;
    }

    void deliver(KeyCertBundle bundle) {
        listener.onBundle(bundle);
    }

    void reject(String reason) {
        listener.onRejected(reason);
    }

    @Override
    public void close() {
        listener = null;
    }
}
