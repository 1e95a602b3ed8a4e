package dev.meshid.agent.workloadapi;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The SPIFFE Workload API on a Unix socket (native epoll), with the security-header check in front. The socket
 * file is owner-only (0600) like the SDS socket: the agent does no workload attestation, so whoever can open the
 * socket gets the SVID.
 */
public final class WorkloadApiServer implements AutoCloseable {
    private final Path path;
    private final Server server;
    private final EventLoopGroup group;

    private WorkloadApiServer(Path path, Server server, EventLoopGroup group) {
        this.path = path;
        this.server = server;
        this.group = group;
    }

    /** Binds {@code path} (a stale socket file there is replaced) and serves {@code service}. */
    public static WorkloadApiServer start(Path path, WorkloadApiService service) throws IOException {
        Epoll.ensureAvailability();
        Path abs = path.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Files.deleteIfExists(abs);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("meshid-agent-wlapi", true), EpollIoHandler.newFactory());
        try {
            Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(abs.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    .directExecutor()
                    .addService(ServerInterceptors.intercept(service, new SecurityHeaderInterceptor()))
                    .build()
                    .start();
            Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
            return new WorkloadApiServer(abs, server, group);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: a stale socket file is replaced at the next start
        }
    }
}
