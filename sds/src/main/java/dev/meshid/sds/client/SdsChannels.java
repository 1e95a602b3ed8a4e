package dev.meshid.sds.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;

/**
 * Plaintext gRPC channels to an SDS server.
 *
 * <p>Unix socket channels share one small epoll event loop group of daemon threads for the whole
 * process: gRPC does not own a group it is given, and a group per channel would leak threads.
 */
public final class SdsChannels {

  private SdsChannels() {}

  /**
   * A channel to the Unix socket at {@code path}, with {@code :authority} set to {@code localhost}.
   * grpc-java would otherwise send the socket path as the authority, which some servers (Vert.x)
   * reject; Envoy sends its cluster name, so this is what a well-behaved client does.
   */
  public static ManagedChannel unixSocket(Path path) {
    return unixSocketBuilder(path).overrideAuthority("localhost").build();
  }

  /**
   * A builder for a channel to the Unix socket at {@code path}, without authority override: use it
   * to set further options, or to test servers against grpc-java's default authority.
   */
  public static NettyChannelBuilder unixSocketBuilder(Path path) {
    Epoll.ensureAvailability();
    return NettyChannelBuilder.forAddress(new DomainSocketAddress(path.toString()))
        .eventLoopGroup(SharedGroup.INSTANCE)
        .channelType(EpollDomainSocketChannel.class)
        .usePlaintext();
  }

  /** A plaintext channel to {@code host:port}. */
  public static ManagedChannel tcp(String host, int port) {
    return NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
  }

  // Holder idiom: the group is created on first use only, so TCP-only users never load epoll.
  private static final class SharedGroup {
    static final EventLoopGroup INSTANCE = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("meshid-sds-client-uds", true), EpollIoHandler.newFactory());
  }
}
