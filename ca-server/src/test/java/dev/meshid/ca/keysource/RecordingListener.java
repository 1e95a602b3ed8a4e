package dev.meshid.ca.keysource;

import dev.meshid.pki.bundle.KeyCertBundle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps everything a key source reports, for assertions; safe to read from the test thread. */
public final class RecordingListener implements KeySourceListener {
    public final List<KeyCertBundle> bundles = new CopyOnWriteArrayList<>();
    public final List<String> rejections = new CopyOnWriteArrayList<>();

    @Override
    public void onBundle(KeyCertBundle bundle) {
        bundles.add(bundle);
    }

    @Override
    public void onRejected(String reason) {
        rejections.add(reason);
    }

    public KeyCertBundle last() {
        return bundles.get(bundles.size() - 1);
    }
}
