package dev.meshid.sds.server;

import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.secret.SecretSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running Envoy SDS v3 server: one {@link SecretDiscoveryService} bound to a Unix socket, a TCP
 * address, or both. Start it with {@link #builder(SecretSource)}; {@link #close()} stops it and
 * removes the socket file.
 *
 * <pre>{@code
 * InMemorySecretSource secrets = InMemorySecretSource.forWorkload();
 * try (SdsServer sds = SdsServer.builder(secrets)
 *     .unixSocket(Path.of("./var/run/secrets/workload-spiffe-uds/socket"))
 *     .start()) {
 *   secrets.putCertificate(new TlsCertificate(chainPem, keyPem)); // pushed to every stream
 * }
 * }</pre>
 */
public final class SdsServer implements AutoCloseable {

  /**
   * Largest request message accepted (gRPC's {@code RESOURCE_EXHAUSTED} beyond it). A DiscoveryRequest is a
   * few names and the client's node; 1 MiB leaves room for large node metadata and is a quarter of gRPC's
   * default, so a client cannot make the agent buffer much.
   */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  private final SecretDiscoveryService service;
  private final List<Listener> listeners;
  private final AtomicLong socketRestores = new AtomicLong();

  private SdsServer(SecretDiscoveryService service, List<Listener> listeners) {
    this.service = service;
    this.listeners = List.copyOf(listeners);
  }

  /** Starts configuring a server for {@code source}. */
  public static Builder builder(SecretSource source) {
    return new Builder(source);
  }

  /** The socket path, if the server listens on a Unix socket. */
  public Optional<Path> socketPath() {
    return listeners.stream().filter(UnixSocketListener.class::isInstance)
        .map(l -> ((UnixSocketListener) l).path()).findFirst();
  }

  /** The bound TCP address (with the real port when 0 was asked), if the server listens on TCP. */
  public Optional<InetSocketAddress> tcpAddress() {
    return listeners.stream().filter(TcpListener.class::isInstance)
        .map(l -> ((TcpListener) l).address()).findFirst();
  }

  /**
   * Binds the Unix socket again if its file was deleted while the server runs; streams already open are not
   * touched. Call it periodically (the node agent does, on its scheduler).
   *
   * @return true if the socket file was missing and is bound again
   * @throws IOException if it was missing and cannot be bound again
   */
  public boolean restoreSocketIfMissing() throws IOException {
    boolean restored = false;
    for (Listener l : listeners) {
      if (l instanceof UnixSocketListener unix && unix.restoreIfMissing()) {
        restored = true;
      }
    }
    if (restored) {
      socketRestores.incrementAndGet();
    }
    return restored;
  }

  /** How often {@link #restoreSocketIfMissing()} found the socket file deleted and bound it again. */
  public long socketRestores() {
    return socketRestores.get();
  }

  /**
   * Of the open streams watching {@code name}, how many acknowledged {@code value}; lets a caller wait until
   * a pushed trust bundle is in use before telling anyone it is.
   */
  public AckStatus acknowledged(String name, dev.meshid.sds.secret.SecretValue value) {
    return service.acknowledged(name, value);
  }

  /** Counters: streams, responses, pushes, ACKs, NACKs. */
  public SdsMetrics metrics() {
    return service.metrics();
  }

  /** Stops every listener; open streams get the grace period, then are cancelled. */
  @Override
  public void close() {
    listeners.forEach(Listener::close);
  }

  /** Configuration of an {@link SdsServer}; defaults are applied in {@link #start()}. */
  public static final class Builder {

    private final SecretSource source;
    private Path socketPath;
    private Set<PosixFilePermission> socketPermissions =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private InetSocketAddress tcpAddress;
    private Clock clock = Clock.systemUTC();
    private Duration shutdownGrace = Duration.ofSeconds(1);

    private Builder(SecretSource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** Listens on a Unix socket at {@code path}; parent directories are created. */
    public Builder unixSocket(Path path) {
      this.socketPath = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * Permissions of the socket file; default 0600 (owner only, as Envoy runs as the agent's user in
     * a sidecar). Use 0660 to let a group (e.g. a separate proxy user) connect.
     */
    public Builder socketPermissions(Set<PosixFilePermission> permissions) {
      this.socketPermissions = EnumSet.copyOf(permissions);
      return this;
    }

    /** Also (or only) listens on TCP; port 0 picks a free port, see {@link SdsServer#tcpAddress()}. */
    public Builder tcp(InetSocketAddress address) {
      this.tcpAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The clock that seeds nonce prefixes. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long {@link SdsServer#close()} lets open streams finish before cancelling them. */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** Binds every configured listener; on failure, the ones already bound are closed. */
    public SdsServer start() throws IOException {
      if (socketPath == null && tcpAddress == null) {
        throw new IllegalStateException("configure a Unix socket path, a TCP address, or both");
      }
      SecretDiscoveryService service =
          new SecretDiscoveryService(source, new SdsMetrics(), new NonceGenerator(clock));
      long grace = shutdownGrace.toMillis();
      List<Listener> started = new ArrayList<>();
      try {
        if (socketPath != null) {
          started.add(UnixSocketListener.start(socketPath, socketPermissions, service, grace));
        }
        if (tcpAddress != null) {
          started.add(TcpListener.start(tcpAddress, service, grace));
        }
      } catch (IOException | RuntimeException e) {
        started.forEach(Listener::close);
        throw e;
      }
      return new SdsServer(service, started);
    }
  }
}
