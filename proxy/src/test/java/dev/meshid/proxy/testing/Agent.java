package dev.meshid.proxy.testing;

import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import dev.meshid.sds.server.SdsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Plays the node agent: an SDS server on a real Unix socket, fed from memory. */
public final class Agent implements AutoCloseable {
  private final InMemorySecretSource secrets = InMemorySecretSource.forWorkload();
  private final Path socket;
  private final SdsServer server;

  private Agent(Path socket) throws IOException {
    this.socket = socket;
    this.server = SdsServer.builder(secrets).unixSocket(socket).start();
  }

  /** An agent with no secrets yet, on a socket in a fresh short directory under /tmp. */
  public static Agent start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "mpx");
      dir.toFile().deleteOnExit();
      return new Agent(dir.resolve("sds.sock"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An agent on {@code socket}, e.g. the socket of an agent that was stopped (a restart). */
  public static Agent startAt(Path socket) {
    try {
      return new Agent(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An agent serving {@code svid} and {@code bundle}. */
  public static Agent serving(Svid svid, TrustBundle bundle) {
    Agent a = start();
    a.push(svid.secret(), bundle);
    return a;
  }

  public Path socket() {
    return socket;
  }

  /** Pushes a new certificate and bundle to every connected proxy. */
  public void push(TlsCertificate certificate, TrustBundle bundle) {
    secrets.putTrustBundle(bundle);
    secrets.putCertificate(certificate);
  }

  /** Pushes a new certificate only (a rotation). */
  public void rotate(TlsCertificate certificate) {
    secrets.putCertificate(certificate);
  }

  @Override
  public void close() {
    server.close();
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(socket.getParent());
    } catch (IOException e) {
      // best effort: the directory is temporary
    }
  }
}
