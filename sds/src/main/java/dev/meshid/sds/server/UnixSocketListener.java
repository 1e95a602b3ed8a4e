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
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** gRPC over a Unix domain socket, with Netty's native epoll transport (Linux only). */
final class UnixSocketListener implements Listener {

  private static final Logger log = LoggerFactory.getLogger(UnixSocketListener.class);

  private final Path path;
  private final Server server;
  private final EventLoopGroup group;
  private final long graceMillis;

  private UnixSocketListener(Path path, Server server, EventLoopGroup group, long graceMillis) {
    this.path = path;
    this.server = server;
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
      Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
          .channelType(EpollServerDomainSocketChannel.class)
          .bossEventLoopGroup(group)
          .workerEventLoopGroup(group)
          .addService(service)
          .maxInboundMessageSize(SdsServer.MAX_REQUEST_BYTES)
          .build()
          .start();
      Files.setPosixFilePermissions(path, permissions);
      log.info("SDS listening on unix:{}", path);
      return new UnixSocketListener(path, server, group, graceMillis);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    Listener.stop(server, graceMillis);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("could not remove socket file {}", path, e);
    }
  }
}
