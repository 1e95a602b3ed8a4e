package dev.meshid.proxy.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The proxy's event loops and socket classes: native epoll where it loads, NIO otherwise. Every listener
 * and every upstream connection share one group; an upstream connection is opened on the event loop of
 * the downstream connection that needs it, so a request never changes threads.
 *
 * @param group the event loops
 * @param serverChannel the listening socket class
 * @param channel the connected socket class
 * @param nativeEpoll whether epoll is in use
 */
public record Transport(EventLoopGroup group, Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> channel, boolean nativeEpoll) implements AutoCloseable {

  /** {@code threads} event loops (0: one per core). */
  public static Transport create(int threads) {
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("meshid-proxy-io", true), io);
    return epoll
        ? new Transport(group, EpollServerSocketChannel.class, EpollSocketChannel.class, true)
        : new Transport(group, NioServerSocketChannel.class, NioSocketChannel.class, false);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
