package dev.meshid.agent.bundle;

/** Where the agent's bundle stream stands, for {@code /debug/certs}. */
public enum WatchState {
    /** Turned off by configuration: roots come from the CA's answers only. */
    OFF,
    /** Opening the stream, or waiting for its first bundle. */
    CONNECTING,
    /** A bundle arrived on the open stream: the stream's roots are authoritative. */
    CONNECTED,
    /** The stream ended; reconnecting after a backoff. */
    RETRYING,
    /** The CA does not offer the stream (an Istio CA): roots come from its answers and the CA root file. */
    UNSUPPORTED
}
