package dev.meshid.sds.testing;

import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.server.SdsServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SDS server on a real Unix socket under a temporary directory, with a grpc-java client
 * channel to it. Secrets {@code default} = cert a and {@code ROOTCA} = bundle a are set up front.
 */
public abstract class UnixSocketServerFixture {

  @TempDir
  protected Path tempDir;

  protected InMemorySecretSource secrets;
  protected SdsServer server;
  protected ManagedChannel channel;
  protected SecretDiscoveryServiceGrpc.SecretDiscoveryServiceStub stub;
  private final List<AutoCloseable> streams = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    secrets = InMemorySecretSource.forWorkload();
    secrets.putCertificate(TestSecrets.cert("a"));
    secrets.putTrustBundle(TestSecrets.bundle("a"));
    server = SdsServer.builder(source()).unixSocket(SocketPaths.socketIn(tempDir)).start();
    channel = SdsChannels.unixSocket(server.socketPath().orElseThrow());
    stub = SecretDiscoveryServiceGrpc.newStub(channel);
  }

  /** The source the server serves; override to add file secrets. */
  protected SecretSource source() throws Exception {
    return secrets;
  }

  @AfterEach
  void stopServer() throws Exception {
    for (AutoCloseable stream : streams) {
      stream.close();
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  /** A new StreamSecrets stream, closed after the test. */
  protected RecordingStream<DiscoveryRequest, DiscoveryResponse> openStream() {
    RecordingStream<DiscoveryRequest, DiscoveryResponse> stream = new RecordingStream<>(stub::streamSecrets);
    streams.add(stream);
    return stream;
  }

  /** A new DeltaSecrets stream, closed after the test. */
  protected RecordingStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> openDeltaStream() {
    RecordingStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> stream =
        new RecordingStream<>(stub::deltaSecrets);
    streams.add(stream);
    return stream;
  }
}
