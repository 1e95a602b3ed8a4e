package dev.meshid.sds.server;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static dev.meshid.sds.secret.SecretNames.ROOTCA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.sds.client.SdsChannels;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.testing.RecordingStream;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.Responses;
import dev.meshid.sds.testing.SocketPaths;
import dev.meshid.sds.testing.TestSecrets;
import dev.meshid.sds.testing.UnixSocketServerFixture;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * StreamSecrets over a real Unix socket, playing Envoy's side step by step.
 *
 * <p>"No response" is proven without waiting for time to pass: after the request under test has
 * been counted by the server, a secret change forces a push; because one stream is handled in order
 * and gRPC keeps order, the push must be the very next response.
 */
class StreamSecretsConformanceTest extends UnixSocketServerFixture {

  @Test
  void firstRequest_isAnsweredWithEveryRequestedSecret() {
    DiscoveryResponse response = openStream().send(Requests.initial(DEFAULT, ROOTCA)).next();

    assertThat(response.getTypeUrl()).isEqualTo(SecretCodec.TYPE_URL);
    assertThat(response.getVersionInfo()).isNotEmpty();
    assertThat(response.getNonce()).isNotEmpty();
    assertThat(Responses.values(response)).containsExactly(
        Map.entry(DEFAULT, TestSecrets.cert("a")), Map.entry(ROOTCA, TestSecrets.bundle("a")));
  }

  @Test
  void ack_getsNoResponse() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(DEFAULT)).next();

    stream.send(Requests.ack(first, DEFAULT));
    await().until(() -> server.metrics().acks() == 1);
    secrets.putCertificate(TestSecrets.cert("b"));

    assertThat(Responses.values(stream.next())).containsExactly(Map.entry(DEFAULT, TestSecrets.cert("b")));
    assertThat(server.metrics().nacks()).isZero();
  }

  @Test
  void nack_getsNoResponse_andIsCounted() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(DEFAULT)).next();

    stream.send(Requests.nack(first, "cannot load certificate", DEFAULT));
    await().until(() -> server.metrics().nacks() == 1);
    secrets.putCertificate(TestSecrets.cert("b"));

    DiscoveryResponse next = stream.next();
    assertThat(Responses.values(next)).containsExactly(Map.entry(DEFAULT, TestSecrets.cert("b")));
    assertThat(server.metrics().acks()).isZero();
  }

  @Test
  void secretChange_isPushedWithNewVersionAndNonce() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(DEFAULT, ROOTCA)).next();
    stream.send(Requests.ack(first, DEFAULT, ROOTCA));

    secrets.putTrustBundle(TestSecrets.bundle("a", "b"));
    DiscoveryResponse push = stream.next();

    assertThat(push.getVersionInfo()).isNotEmpty().isNotEqualTo(first.getVersionInfo());
    assertThat(push.getNonce()).isNotEmpty().isNotEqualTo(first.getNonce());
    assertThat(Responses.values(push)).containsExactly(Map.entry(ROOTCA, TestSecrets.bundle("a", "b")));
    assertThat(server.metrics().pushes()).isEqualTo(1);
  }

  @Test
  void sameValuePutAgain_isNotPushed() {
    var stream = openStream();
    stream.send(Requests.initial(DEFAULT)).next();

    assertThat(secrets.putCertificate(TestSecrets.cert("a"))).isFalse();
    secrets.putCertificate(TestSecrets.cert("c"));

    assertThat(Responses.values(stream.next())).containsExactly(Map.entry(DEFAULT, TestSecrets.cert("c")));
    assertThat(server.metrics().pushes()).isEqualTo(1);
  }

  @Test
  void newNameMidStream_isAnsweredWithJustThatResource() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(DEFAULT)).next();

    DiscoveryResponse second = stream.send(Requests.ack(first, DEFAULT, ROOTCA)).next();

    assertThat(Responses.names(second)).containsExactly(ROOTCA);
    assertThat(second.getNonce()).isNotEqualTo(first.getNonce());
  }

  @Test
  void droppedName_isUnsubscribed_andNoLongerPushed() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(DEFAULT, ROOTCA)).next();

    stream.send(Requests.ack(first, ROOTCA));
    await().until(() -> secrets.watcherCount(DEFAULT) == 0);
    secrets.putCertificate(TestSecrets.cert("b"));
    secrets.putTrustBundle(TestSecrets.bundle("b"));

    assertThat(Responses.names(stream.next())).containsExactly(ROOTCA);
    assertThat(server.metrics().pushes()).isEqualTo(1);
  }

  @Test
  void emptyNameList_unsubscribesFromEverything() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(DEFAULT, ROOTCA)).next();

    stream.send(Requests.ack(first));
    await().until(() -> secrets.watcherCount(DEFAULT) + secrets.watcherCount(ROOTCA) == 0);
    // Listeners run synchronously in put(), so a push would already be counted when it returns.
    secrets.putCertificate(TestSecrets.cert("b"));

    assertThat(server.metrics().pushes()).isZero();
    assertThat(stream.pending()).isZero();
    assertThat(server.metrics().activeStreams()).isEqualTo(1);
  }

  @Test
  void staleNonce_isIgnored() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(DEFAULT)).next();
    secrets.putCertificate(TestSecrets.cert("b"));
    stream.next();

    // Answers the first response although a newer one was sent, and asks for ROOTCA on top.
    stream.send(Requests.ack(first, DEFAULT, ROOTCA));
    await().until(() -> server.metrics().staleNonces() == 1);
    secrets.putCertificate(TestSecrets.cert("c"));

    assertThat(Responses.names(stream.next())).containsExactly(DEFAULT);
    assertThat(server.metrics().acks()).isZero();
  }

  @Test
  void reconnectWithNonceOfPreviousStream_isAnsweredAsFirstRequest() {
    var previous = openStream();
    DiscoveryResponse old = previous.send(Requests.initial(DEFAULT, ROOTCA)).next();
    previous.close();

    DiscoveryResponse response = openStream()
        .send(Requests.withNonce(old.getNonce(), true, DEFAULT, ROOTCA)).next();

    assertThat(Responses.names(response)).containsExactly(DEFAULT, ROOTCA);
    assertThat(server.metrics().staleNonces()).isZero();
  }

  @Test
  void twoStreamsWatchingTheSameSecret_bothGetThePush() {
    var one = openStream();
    var two = openStream();
    one.send(Requests.initial(DEFAULT)).next();
    two.send(Requests.initial(DEFAULT, ROOTCA)).next();

    secrets.putCertificate(TestSecrets.cert("b"));

    DiscoveryResponse pushOne = one.next();
    DiscoveryResponse pushTwo = two.next();
    assertThat(Responses.values(pushOne)).containsExactly(Map.entry(DEFAULT, TestSecrets.cert("b")));
    assertThat(Responses.values(pushTwo)).containsExactly(Map.entry(DEFAULT, TestSecrets.cert("b")));
    assertThat(pushOne.getVersionInfo()).isEqualTo(pushTwo.getVersionInfo());
    assertThat(pushOne.getNonce()).isNotEqualTo(pushTwo.getNonce());
    assertThat(server.metrics().pushes()).isEqualTo(2);
  }

  @Test
  void secretNotAvailableYet_isSentWhenItAppears() throws Exception {
    InMemorySecretSource empty = InMemorySecretSource.forWorkload();
    Path socket = SocketPaths.socketIn(tempDir.resolve("l"));
    try (SdsServer late = SdsServer.builder(empty).unixSocket(socket).start()) {
      ManagedChannel lateChannel = SdsChannels.unixSocket(late.socketPath().orElseThrow());
      try (var stream = new RecordingStream<DiscoveryRequest, DiscoveryResponse>(
          SecretDiscoveryServiceGrpc.newStub(lateChannel)::streamSecrets)) {
        stream.send(Requests.initial(DEFAULT));
        await().until(() -> empty.watcherCount(DEFAULT) == 1);
        assertThat(stream.pending()).isZero();

        empty.putCertificate(TestSecrets.cert("a"));

        assertThat(Responses.names(stream.next())).containsExactly(DEFAULT);
      } finally {
        lateChannel.shutdownNow();
      }
    }
  }

  @Test
  void unknownName_closesStreamWithNotFound_namingItAndWhatIsServed() {
    var stream = openStream().send(Requests.initial(DEFAULT, "spiffe://cluster.local/ns/x"));

    Status status = stream.awaitError();

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription())
        .contains("spiffe://cluster.local/ns/x").contains(DEFAULT).contains(ROOTCA);
    assertThat(stream.pending()).isZero();
  }

  @Test
  void wrongTypeUrl_isRejectedWithInvalidArgument() {
    var stream = openStream().send(Requests.initial(DEFAULT).toBuilder()
        .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster").build());

    assertThat(stream.awaitError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void closedStream_releasesItsWatches() {
    var stream = openStream();
    stream.send(Requests.initial(DEFAULT, ROOTCA)).next();
    assertThat(secrets.watcherCount(DEFAULT)).isEqualTo(1);

    stream.close();

    await().until(() -> server.metrics().activeStreams() == 0);
    assertThat(secrets.watcherCount(DEFAULT)).isZero();
    assertThat(secrets.watcherCount(ROOTCA)).isZero();
  }
}
