package dev.meshid.proxy.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny application behind a proxy: answers every request with
 * {@code <name> <METHOD> <path> xfcc=<X-Forwarded-Client-Cert or ->} and remembers what it received.
 */
public final class TestApp implements AutoCloseable {
  /** What the app saw of one request. */
  public record Seen(String method, String path, String xfcc) {}

  private final String name;
  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private TestApp(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "test-app-" + name);
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      String xfcc = exchange.getRequestHeaders().getFirst("X-Forwarded-Client-Cert");
      exchange.getRequestBody().readAllBytes();
      seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), xfcc));
      byte[] body = (name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " xfcc="
          + (xfcc == null ? "-" : xfcc)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public static TestApp start(String name) {
    try {
      return new TestApp(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Seen> seen() {
    return seen;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
