package dev.meshid.agent.bundle;

/** A trust bundle from the CA that the agent refuses; the message goes back to the CA in the ack. */
public final class BundleRejected extends Exception {
    private static final long serialVersionUID = 1L;

    public BundleRejected(String message) {
        super(message);
    }
}
