package dev.meshid.sds.client;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static dev.meshid.sds.secret.SecretNames.ROOTCA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.sds.Scheduler;
import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.server.SdsServer;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.SocketPaths;
import dev.meshid.sds.testing.TestSecrets;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our client against our server on a real Unix socket, including a server restart. */
class SdsClientOverUnixSocketTest {

  @TempDir
  Path tempDir;

  private final InMemorySecretSource secrets = InMemorySecretSource.forWorkload();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<SecretValue> seen = new CopyOnWriteArrayList<>();
  private Path socket;
  private SdsServer server;
  private ManagedChannel channel;
  private SdsClient client;

  @BeforeEach
  void start() throws Exception {
    secrets.putCertificate(TestSecrets.cert("a"));
    secrets.putTrustBundle(TestSecrets.bundle("a"));
    socket = SocketPaths.socketIn(tempDir);
    server = SdsServer.builder(secrets).unixSocket(socket).start();
    channel = SdsChannels.unixSocket(socket);
    client = new SdsClientBuilder(StreamOpener.over(channel))
        .node(Requests.NODE)
        .names(List.of(DEFAULT, ROOTCA))
        .scheduler(Scheduler.of(executor))
        .random(new SplittableRandom(1))
        .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0, 0.2))
        .build();
    client.addListener((name, value) -> seen.add(value));
    client.start();
  }

  @AfterEach
  void stop() {
    client.close();
    channel.shutdownNow();
    server.close();
    executor.shutdownNow();
  }

  @Test
  void client_receivesBothSecrets_andTheServerCountsItsAck() {
    await().until(() -> client.secrets().size() == 2);

    assertThat(client.secret(DEFAULT)).contains(TestSecrets.cert("a"));
    assertThat(client.secret(ROOTCA)).contains(TestSecrets.bundle("a"));
    await().until(() -> server.metrics().acks() == 1);
    assertThat(server.metrics().nacks()).isZero();
  }

  @Test
  void push_reachesTheClientsListener() {
    await().until(() -> client.secrets().size() == 2);

    secrets.putCertificate(TestSecrets.cert("b"));

    await().until(() -> seen.contains(TestSecrets.cert("b")));
    assertThat(client.secret(DEFAULT)).contains(TestSecrets.cert("b"));
    await().until(() -> server.metrics().acks() == 2);
  }

  @Test
  void serverRestart_clientReconnects_andGetsTheNewValues() throws Exception {
    await().until(() -> client.secrets().size() == 2);

    server.close();
    secrets.putCertificate(TestSecrets.cert("c"));
    server = SdsServer.builder(secrets).unixSocket(socket).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> client.secret(DEFAULT).orElseThrow()
        .equals(TestSecrets.cert("c")));
    assertThat(client.streamsOpened()).isGreaterThanOrEqualTo(2);
    assertThat(server.metrics().streamsOpened()).isEqualTo(1);
  }
}
