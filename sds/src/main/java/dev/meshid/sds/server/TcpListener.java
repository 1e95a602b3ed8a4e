package dev.meshid.sds.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** gRPC over plaintext TCP, for hosts without a shared filesystem (and for tests). */
final class TcpListener implements Listener {

  private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

  private final Server server;
  private final long graceMillis;

  private TcpListener(Server server, long graceMillis) {
    this.server = server;
    this.graceMillis = graceMillis;
  }

  /** Binds {@code service} to {@code address}; port 0 picks a free port. */
  static TcpListener start(InetSocketAddress address, BindableService service, long graceMillis)
      throws IOException {
    Server server = NettyServerBuilder.forAddress(address).addService(service)
        .maxInboundMessageSize(SdsServer.MAX_REQUEST_BYTES).build().start();
    log.info("SDS listening on tcp:{}", server.getListenSockets());
    return new TcpListener(server, graceMillis);
  }

  /** The address actually bound. */
  InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  @Override
  public void close() {
    Listener.stop(server, graceMillis);
  }
}
