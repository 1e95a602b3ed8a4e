package dev.meshid.ca.keysource;

/** Receives what a {@link KeySource} finds. Called from the source's own thread; implementations must be quick. */
public interface KeySourceListener {

    /** Verified material: swap it in. */
    void onBundle(dev.meshid.pki.bundle.KeyCertBundle bundle);

    /** Invalid new material was refused; keep the old one. The reason names the file/key and the problem. */
    void onRejected(String reason);
}
