package dev.meshid.testing.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Entry point of the child JVM: fabric8's {@link KubernetesMockServer} in CRUD mode (objects are stored,
 * listed, patched and deleted, and watches deliver events) on 127.0.0.1 with an ephemeral port.
 *
 * <p>Prints exactly one line, {@value #URL_LINE_PREFIX}{@code http://127.0.0.1:<port>}, on stdout once
 * the server listens, and logs only to stderr. It stops when its stdin reaches end of file, so a parent
 * that dies (and so closes the pipe) never leaves it running, or on SIGTERM. Launched by
 * {@link ForkedKubernetesMockServer}; not meant to be used in-process.
 */
public final class MockApiServerMain {

    /** What the one stdout line starts with; the rest of the line is the server's base URL. */
    public static final String URL_LINE_PREFIX = "MOCK_API_SERVER_URL=";

    private MockApiServerMain() {
    }

    /**
     * Starts the server, announces its URL and blocks until stdin closes.
     *
     * @param args ignored
     * @throws IOException if the loopback address cannot be resolved
     */
    public static void main(String[] args) throws IOException {
        // Keep the announcement line alone on stdout: libraries that print go to stderr instead.
        PrintStream announce = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                expectations,
                new KubernetesMixedDispatcher(expectations),
                false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        // Runs on System.exit below and on SIGTERM alike.
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "mock-api-server-shutdown"));

        announce.println(URL_LINE_PREFIX + "http://127.0.0.1:" + server.getPort());
        System.err.println("mock API server (CRUD mode) listening on 127.0.0.1:" + server.getPort());

        awaitEndOfInput(System.in);
        System.err.println("stdin closed: stopping the mock API server");
        System.exit(0);
    }

    private static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Input is ignored: only its end matters.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, which is the same signal as end of input.
        }
    }
}
