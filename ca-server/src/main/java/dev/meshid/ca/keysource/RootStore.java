package dev.meshid.ca.keysource;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@link SelfSignedKeySource} keeps its root and key so that restarts and replicas share them. The
 * store deals in raw files laid out as {@link #layout()} says; it does not interpret them. An
 * {@link IOException} means the store could not be reached now (try again later), never bad content.
 */
public interface RootStore {

    /** For logs, e.g. {@code "dir:/var/lib/meshid/ca"} or {@code "secret:istio-system/istio-ca-secret"}. */
    String describe();

    RootLayout layout();

    /** What is stored, or empty if nothing is stored yet. */
    Optional<Map<String, String>> read() throws IOException;

    /** Stores {@code files} unless something is stored already; returns what is stored afterwards (ours or the winner's). */
    Map<String, String> createIfAbsent(Map<String, String> files) throws IOException;

    /**
     * Replaces {@code expected} with {@code next} only if {@code expected} is still what is stored; returns
     * what is stored afterwards (ours, or what another writer put there first).
     */
    Map<String, String> replace(Map<String, String> expected, Map<String, String> next) throws IOException;
}
