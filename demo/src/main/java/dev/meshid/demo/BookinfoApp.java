package dev.meshid.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bookinfo app in miniature on the JDK's HTTP server. {@code details} answers {@code GET /details/<id>} with a
 * small JSON book, and answers everything else too (so a 403 in the demo is the proxy's doing, never the app's);
 * {@code productpage} only names itself (the demo plays productpage's calls through its proxy). Loopback only.
 */
public final class BookinfoApp implements AutoCloseable {
    private static final Pattern DETAILS = Pattern.compile("/details/(\\d{1,9})");

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();

    private BookinfoApp(String name, HttpServer server, ExecutorService executor) {
        this.name = name;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts on a free loopback port. {@code name} is what the app calls itself in answers other than a book
     * ({@code details}; productpage's proxy gets one named {@code productpage} behind its inbound port).
     */
    public static BookinfoApp start(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-app");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        BookinfoApp app = new BookinfoApp(name, server, executor);
        server.createContext("/", app::handle);
        server.start();
        return app;
    }

    /** The body {@code /details/<id>} answers. */
    public static String body(int id) {
        return "{\"id\":" + id + ",\"author\":\"William Shakespeare\",\"year\":1595,\"type\":\"paperback\","
                + "\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\"}";
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            ex.getRequestBody().readAllBytes();
            Matcher m = DETAILS.matcher(ex.getRequestURI().getPath());
            String body;
            int status;
            if (m.matches() && "GET".equals(ex.getRequestMethod()) && name.equals("details")) {
                status = 200;
                body = body(Integer.parseInt(m.group(1)));
            } else {
                status = m.matches() || !name.equals("details") ? 200 : 404;
                body = "{\"app\":\"" + name + "\",\"method\":\"" + ex.getRequestMethod() + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
