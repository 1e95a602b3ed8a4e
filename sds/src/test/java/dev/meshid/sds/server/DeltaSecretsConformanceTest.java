package dev.meshid.sds.server;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static dev.meshid.sds.secret.SecretNames.ROOTCA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.Responses;
import dev.meshid.sds.testing.TestSecrets;
import dev.meshid.sds.testing.UnixSocketServerFixture;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DeltaSecrets over a real Unix socket, the same cases as StreamSecrets where they apply. */
class DeltaSecretsConformanceTest extends UnixSocketServerFixture {

  @Test
  void firstRequest_isAnsweredWithEverySubscribedSecret_withPerResourceVersions() {
    DeltaDiscoveryResponse response = openDeltaStream().send(Requests.deltaInitial(DEFAULT, ROOTCA)).next();

    assertThat(response.getTypeUrl()).isEqualTo(SecretCodec.TYPE_URL);
    assertThat(response.getNonce()).isNotEmpty();
    assertThat(response.getResourcesList()).allSatisfy(r -> assertThat(r.getVersion()).isNotEmpty());
    assertThat(Responses.values(response)).containsExactly(
        Map.entry(DEFAULT, TestSecrets.cert("a")), Map.entry(ROOTCA, TestSecrets.bundle("a")));
  }

  @Test
  void ack_getsNoResponse() {
    var stream = openDeltaStream();
    DeltaDiscoveryResponse first = stream.send(Requests.deltaInitial(DEFAULT)).next();

    stream.send(Requests.deltaAck(first.getNonce()));
    await().until(() -> server.metrics().acks() == 1);
    secrets.putCertificate(TestSecrets.cert("b"));

    assertThat(Responses.values(stream.next())).containsExactly(Map.entry(DEFAULT, TestSecrets.cert("b")));
  }

  @Test
  void nack_getsNoResponse_andIsCounted() {
    var stream = openDeltaStream();
    DeltaDiscoveryResponse first = stream.send(Requests.deltaInitial(DEFAULT)).next();

    stream.send(Requests.deltaNack(first.getNonce(), "bad key"));
    await().until(() -> server.metrics().nacks() == 1);
    secrets.putCertificate(TestSecrets.cert("b"));

    assertThat(Responses.names(stream.next())).containsExactly(DEFAULT);
    assertThat(server.metrics().acks()).isZero();
  }

  @Test
  void secretChange_isPushedWithNewVersionAndNonce() {
    var stream = openDeltaStream();
    DeltaDiscoveryResponse first = stream.send(Requests.deltaInitial(DEFAULT)).next();
    stream.send(Requests.deltaAck(first.getNonce()));

    secrets.putCertificate(TestSecrets.cert("c"));
    DeltaDiscoveryResponse push = stream.next();

    assertThat(push.getNonce()).isNotEqualTo(first.getNonce());
    assertThat(push.getResources(0).getVersion()).isNotEqualTo(first.getResources(0).getVersion());
    assertThat(Responses.values(push)).containsExactly(Map.entry(DEFAULT, TestSecrets.cert("c")));
  }

  @Test
  void newSubscriptionMidStream_isAnsweredWithJustThatResource() {
    var stream = openDeltaStream();
    DeltaDiscoveryResponse first = stream.send(Requests.deltaInitial(DEFAULT)).next();

    DeltaDiscoveryResponse second = stream.send(Requests.deltaAck(first.getNonce()).toBuilder()
        .addResourceNamesSubscribe(ROOTCA).build()).next();

    assertThat(Responses.names(second)).containsExactly(ROOTCA);
  }

  @Test
  void unsubscribe_stopsPushes() {
    var stream = openDeltaStream();
    stream.send(Requests.deltaInitial(DEFAULT, ROOTCA)).next();

    stream.send(DeltaDiscoveryRequest.newBuilder().addResourceNamesUnsubscribe(DEFAULT).build());
    await().until(() -> secrets.watcherCount(DEFAULT) == 0);
    secrets.putCertificate(TestSecrets.cert("b"));
    secrets.putTrustBundle(TestSecrets.bundle("b"));

    assertThat(Responses.names(stream.next())).containsExactly(ROOTCA);
  }

  @Test
  void reconnectWithNonceOfPreviousStream_isAnsweredAsFirstRequest() {
    var previous = openDeltaStream();
    DeltaDiscoveryResponse old = previous.send(Requests.deltaInitial(DEFAULT)).next();
    previous.close();

    DeltaDiscoveryResponse response = openDeltaStream().send(Requests.deltaInitial(DEFAULT).toBuilder()
        .setResponseNonce(old.getNonce()).build()).next();

    assertThat(Responses.names(response)).containsExactly(DEFAULT);
  }

  @Test
  void reconnectDeclaringCurrentVersions_isNotSentThemAgain() {
    var previous = openDeltaStream();
    DeltaDiscoveryResponse old = previous.send(Requests.deltaInitial(DEFAULT)).next();
    previous.close();

    var stream = openDeltaStream().send(Requests.deltaInitial(DEFAULT, ROOTCA).toBuilder()
        .putInitialResourceVersions(DEFAULT, old.getResources(0).getVersion()).build());

    assertThat(Responses.names(stream.next())).containsExactly(ROOTCA);
  }

  @Test
  void twoStreamsWatchingTheSameSecret_bothGetThePush() {
    var one = openDeltaStream();
    var two = openDeltaStream();
    one.send(Requests.deltaInitial(ROOTCA)).next();
    two.send(Requests.deltaInitial(ROOTCA)).next();

    secrets.putTrustBundle(TestSecrets.bundle("b"));

    assertThat(Responses.values(one.next())).containsExactly(Map.entry(ROOTCA, TestSecrets.bundle("b")));
    assertThat(Responses.values(two.next())).containsExactly(Map.entry(ROOTCA, TestSecrets.bundle("b")));
  }

  @Test
  void unknownName_closesStreamWithNotFound() {
    Status status = openDeltaStream().send(Requests.deltaInitial("file-root")).awaitError();

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("'file-root'").contains(DEFAULT);
  }
}
