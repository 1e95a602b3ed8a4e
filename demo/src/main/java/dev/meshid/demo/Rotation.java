package dev.meshid.demo;

import java.io.IOException;
import java.time.Duration;

/**
 * Forces a certificate rotation in an agent with {@code POST /debug/rotate} on its admin port: the agent's own
 * rotation path (new key, new CSR, CA call, SDS push), started now instead of at half-life.
 */
final class Rotation {
    private Rotation() {
    }

    /**
     * Asks the agent at {@code adminPort} to rotate now.
     *
     * @throws IOException if the agent cannot be reached or does not accept (anything but a 2xx answer)
     */
    static void force(int adminPort) throws IOException {
        RawHttp.Response r = RawHttp.send(Topology.loopback(adminPort), "POST", "127.0.0.1", "/debug/rotate", "",
                Duration.ofSeconds(5));
        if (r.status() / 100 != 2) {
            throw new IOException("POST /debug/rotate on the agent answered " + r.summary());
        }
    }
}
