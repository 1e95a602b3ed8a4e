package dev.meshid.ca.rotate;

import java.io.IOException;
import java.util.Map;

/** Where the CA's plug-in files live (a directory or a Kubernetes secret): read whole, replaced whole. */
public interface CacertsStore {
    /** For messages, e.g. {@code dir:/etc/cacerts} or {@code secret:istio-system/cacerts}. */
    String describe();

    /** The plug-in files by name. */
    Map<String, String> read() throws IOException;

    /**
     * Replaces the whole set with {@code files} in one step that the CA's watcher sees either before or after,
     * never half-written.
     *
     * @param expected the set {@link #read} returned; if the store changed since, nothing is written and an
     *     {@link IOException} says so
     */
    void replace(Map<String, String> expected, Map<String, String> files) throws IOException;
}
