package dev.meshid.sds.server;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static dev.meshid.sds.secret.SecretNames.ROOTCA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.TestSecrets;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import org.junit.jupiter.api.Test;

/** {@link SdsServer#acknowledged}: which watching streams have ACKed a pushed value. */
class AckTrackingTest extends dev.meshid.sds.testing.UnixSocketServerFixture {

  @Test
  void acknowledged_countsOnlyStreamsThatAckedThatValue() {
    var acking = openStream();
    var silent = openStream();
    DiscoveryResponse first = acking.send(Requests.initial(ROOTCA)).next();
    silent.send(Requests.initial(ROOTCA)).next();
    acking.send(Requests.ack(first, ROOTCA));

    await().until(() -> server.acknowledged(ROOTCA, TestSecrets.bundle("a")).acknowledged() == 1);
    assertThat(server.acknowledged(ROOTCA, TestSecrets.bundle("a"))).isEqualTo(new AckStatus(2, 1));
    assertThat(server.acknowledged(ROOTCA, TestSecrets.bundle("a")).complete()).isFalse();
    assertThat(server.acknowledged(DEFAULT, TestSecrets.cert("a"))).isEqualTo(new AckStatus(0, 0));
  }

  @Test
  void acknowledged_newValueIsPendingUntilAcked_andNackedIsNot() {
    var stream = openStream();
    DiscoveryResponse first = stream.send(Requests.initial(ROOTCA)).next();
    stream.send(Requests.ack(first, ROOTCA));

    secrets.putTrustBundle(TestSecrets.bundle("a", "b"));
    DiscoveryResponse push = stream.next();
    assertThat(server.acknowledged(ROOTCA, TestSecrets.bundle("a", "b"))).isEqualTo(new AckStatus(1, 0));
    stream.send(Requests.nack(push, "bad bundle", ROOTCA));
    await().until(() -> server.metrics().nacks() == 1);
    assertThat(server.acknowledged(ROOTCA, TestSecrets.bundle("a", "b")).complete()).isFalse();

    secrets.putTrustBundle(TestSecrets.bundle("b"));
    stream.send(Requests.ack(stream.next(), ROOTCA));

    await().until(() -> server.acknowledged(ROOTCA, TestSecrets.bundle("b")).complete());
    assertThat(server.acknowledged(ROOTCA, TestSecrets.bundle("b"))).isEqualTo(new AckStatus(1, 1));
  }

  @Test
  void acknowledged_closedStreamsNoLongerCount() {
    var stream = openStream();
    stream.send(Requests.initial(ROOTCA)).next();
    assertThat(server.acknowledged(ROOTCA, TestSecrets.bundle("a")).watching()).isEqualTo(1);

    stream.close();

    await().until(() -> server.acknowledged(ROOTCA, TestSecrets.bundle("a")).watching() == 0);
  }
}
