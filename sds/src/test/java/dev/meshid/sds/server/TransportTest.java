package dev.meshid.sds.server;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static dev.meshid.sds.secret.SecretNames.ROOTCA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.testing.RecordingStream;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.Responses;
import dev.meshid.sds.testing.SocketPaths;
import dev.meshid.sds.testing.TestSecrets;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport layer: socket file handling, authorities, TCP. */
class TransportTest {

  @TempDir
  Path tempDir;

  private final InMemorySecretSource secrets = InMemorySecretSource.forWorkload();
  private Path socket;

  @BeforeEach
  void setUp() throws IOException {
    secrets.putCertificate(TestSecrets.cert("a"));
    secrets.putTrustBundle(TestSecrets.bundle("a"));
    socket = SocketPaths.socketIn(tempDir);
  }

  private static DiscoveryResponse firstResponse(ManagedChannel channel) throws InterruptedException {
    try (var stream = new RecordingStream<DiscoveryRequest, DiscoveryResponse>(
        SecretDiscoveryServiceGrpc.newStub(channel)::streamSecrets)) {
      return stream.send(Requests.initial(DEFAULT, ROOTCA)).next();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void unixSocket_servesClientWithOverriddenAuthority() throws Exception {
    try (SdsServer server = SdsServer.builder(secrets).unixSocket(socket).start()) {
      DiscoveryResponse response = firstResponse(SdsChannels.unixSocket(server.socketPath().orElseThrow()));

      assertThat(Responses.names(response)).containsExactly(DEFAULT, ROOTCA);
    }
  }

  @Test
  void unixSocket_servesClientWithDefaultAuthority() throws Exception {
    // grpc-java then sends the socket path as :authority; grpc-netty must accept it.
    try (SdsServer server = SdsServer.builder(secrets).unixSocket(socket).start()) {
      DiscoveryResponse response =
          firstResponse(SdsChannels.unixSocketBuilder(server.socketPath().orElseThrow()).build());

      assertThat(Responses.names(response)).containsExactly(DEFAULT, ROOTCA);
    }
  }

  @Test
  void tcp_servesTheSameProtocol() throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try (SdsServer server = SdsServer.builder(secrets).tcp(any).start()) {
      int port = server.tcpAddress().orElseThrow().getPort();
      assertThat(port).isPositive();

      DiscoveryResponse response = firstResponse(SdsChannels.tcp("127.0.0.1", port));

      assertThat(Responses.values(response)).containsEntry(DEFAULT, TestSecrets.cert("a"));
    }
  }

  @Test
  void socketFile_isCreatedOwnerOnly_inCreatedParents_andRemovedOnClose() throws Exception {
    assertThat(socket.getParent()).doesNotExist();
    try (SdsServer server = SdsServer.builder(secrets).unixSocket(socket).start()) {
      assertThat(server.socketPath()).contains(socket);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    }
    assertThat(socket).doesNotExist();
  }

  @Test
  void socketPermissions_canBeWidenedToTheGroup() throws Exception {
    try (SdsServer server = SdsServer.builder(secrets).unixSocket(socket)
        .socketPermissions(PosixFilePermissions.fromString("rw-rw----")).start()) {
      assertThat(server.tcpAddress()).isEmpty();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
    }
  }

  @Test
  void staleSocketOfAPreviousProcess_isReplaced() throws Exception {
    SdsServer crashed = SdsServer.builder(secrets).unixSocket(socket).start();
    Path leftover = tempDir.resolve("leftover");
    // Simulate a crash: keep the socket file although the server is gone.
    Files.createLink(leftover, socket);
    crashed.close();
    Files.createLink(socket, leftover);

    try (SdsServer server = SdsServer.builder(secrets).unixSocket(socket).start()) {
      assertThat(Responses.names(firstResponse(SdsChannels.unixSocket(socket)))).contains(DEFAULT);
      assertThat(server.metrics().streamsOpened()).isEqualTo(1);
    }
  }

  @Test
  void regularFileAtSocketPath_isNotDeleted() throws Exception {
    Files.createDirectories(socket.getParent());
    Files.writeString(socket, "not a socket");

    assertThatThrownBy(() -> SdsServer.builder(secrets).unixSocket(socket).start())
        .isInstanceOf(IOException.class).hasMessageContaining("not a socket");
    assertThat(socket).hasContent("not a socket");
  }

  @Test
  void socketPathOverTheKernelLimit_isRejectedClearly() {
    Path tooLong = Path.of("/tmp", "x".repeat(120), "socket");

    assertThatThrownBy(() -> SdsServer.builder(secrets).unixSocket(tooLong).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit");
  }

  @Test
  void serverWithoutListener_isAConfigurationError() {
    assertThatThrownBy(() -> SdsServer.builder(secrets).start()).isInstanceOf(IllegalStateException.class);
  }
}
