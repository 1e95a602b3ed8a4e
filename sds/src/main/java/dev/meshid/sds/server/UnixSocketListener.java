package dev.meshid.sds.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC over a Unix domain socket, with Netty's native epoll transport (Linux only).
 *
 * <p>If the socket file is deleted while the listener runs, open streams go on but no new client can connect;
 * {@link #restoreIfMissing()} binds the path again. The earlier servers keep running, so streams already open on
 * them are not cut; {@link #close()} stops them all.
 */
final class UnixSocketListener implements Listener {

  private static final Logger log = LoggerFactory.getLogger(UnixSocketListener.class);

  private final Path path;
  private final Set<PosixFilePermission> permissions;
  private final BindableService service;
  private final List<Server> servers = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group;
  private final long graceMillis;
  private boolean closed;

  private UnixSocketListener(Path path, Set<PosixFilePermission> permissions, BindableService service,
      Server server, EventLoopGroup group, long graceMillis) {
    this.path = path;
    this.permissions = permissions;
    this.service = service;
    this.servers.add(server);
    this.group = group;
    this.graceMillis = graceMillis;
  }

  /**
   * Binds {@code service} to {@code path} and restricts the socket file to {@code permissions}.
   *
   * <p>There is a short window between bind and chmod in which the socket has the process umask's
   * permissions; put the socket in a directory only the workload can enter if that matters.
   */
  static UnixSocketListener start(Path path, Set<PosixFilePermission> permissions,
      BindableService service, long graceMillis) throws IOException {
    Epoll.ensureAvailability();
    SocketFiles.prepare(path);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      Server server = bind(path, permissions, service, group);
      log.info("SDS listening on unix:{}", path);
      return new UnixSocketListener(path, permissions, service, server, group, graceMillis);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  private static Server bind(Path path, Set<PosixFilePermission> permissions, BindableService service,
      EventLoopGroup group) throws IOException {
    Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(group)
        .workerEventLoopGroup(group)
        .addService(service)
        .maxInboundMessageSize(SdsServer.MAX_REQUEST_BYTES)
        .build()
        .start();
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
    return server;
  }

  /**
   * Binds the path again if its socket file is gone (deleted by hand, by a cleanup job, by a volume remount).
   *
   * @return true if it was missing and is bound again
   * @throws IOException if binding fails (the path's directory is gone or not writable, say)
   */
  synchronized boolean restoreIfMissing() throws IOException {
    if (closed || Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    SocketFiles.prepare(path);
    servers.add(bind(path, permissions, service, group));
    log.warn("SDS socket unix:{} had been deleted; bound it again (new clients can connect; streams "
        + "already open continue)", path);
    return true;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    servers.forEach(server -> Listener.stop(server, graceMillis));
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("could not remove socket file {}", path, e);
    }
  }
}
