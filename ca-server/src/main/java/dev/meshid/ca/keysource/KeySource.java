package dev.meshid.ca.keysource;

/**
 * A plug-in source of signing material. Implementations are watched/refreshed and report every change.
 *
 * <p>Contract (checked for every implementation by {@code KeySourceContractTest}):
 * <ul>
 *   <li>{@link #start} returns at once; the first valid bundle and every later, different one go to
 *       {@link KeySourceListener#onBundle}, already verified (key matches certificate, the certificate is a
 *       CA, its chain reaches a root of the bundle's trust bundle, nothing has expired).</li>
 *   <li>Content that did not change is not delivered again.</li>
 *   <li>Invalid new material goes to {@link KeySourceListener#onRejected} with a reason that names what was
 *       wrong; the previously delivered bundle stays current.</li>
 *   <li>After {@link #close} nothing more is delivered.</li>
 * </ul>
 */
public interface KeySource extends AutoCloseable {

    /** Short description for logs and metrics, e.g. {@code "cacerts-dir:/etc/cacerts"}. */
    String name();

    /** Starts loading and watching; non-blocking. First valid bundle and every later one go to {@code onBundle}. */
    void start(KeySourceListener listener);

    /** Stops watching; no delivery happens after this returns. Idempotent. */
    @Override
    void close();
}
