package dev.meshid.sds.server;

import io.grpc.Server;
import java.util.concurrent.TimeUnit;

/** One bound gRPC server (a Unix socket or a TCP address) of an {@link SdsServer}. */
interface Listener extends AutoCloseable {

  /** Stops accepting, ends open streams after the grace period, frees resources. */
  @Override
  void close();

  /** Shuts {@code server} down, cancelling streams still open after {@code graceMillis}. */
  static void stop(Server server, long graceMillis) {
    server.shutdown();
    try {
      if (!server.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
