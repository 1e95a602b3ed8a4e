package dev.meshid.sds.client;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static dev.meshid.sds.secret.SecretNames.ROOTCA;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.testing.FakeScheduler;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.TestSecrets;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's protocol and reconnect behaviour, with a fake stream and virtual time. */
class SdsClientTest {

  // nextLong() == 0 makes every jitter draw the lowest value: delay = base * (1 - jitter).
  private static final RandomGenerator LOWEST = () -> 0L;
  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.5);

  private final FakeStreams streams = new FakeStreams();
  private final FakeScheduler scheduler = new FakeScheduler();
  private final List<String> notified = new ArrayList<>();
  private SdsClient client;

  @BeforeEach
  void start() {
    client = new SdsClientBuilder(streams).node(Requests.NODE).names(List.of(DEFAULT, ROOTCA))
        .scheduler(scheduler).random(LOWEST).backoff(BACKOFF).build();
    client.addListener((name, value) -> notified.add(name));
    client.start();
  }

  private static DiscoveryResponse response(String version, String nonce, Secret... secrets) {
    DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
        .setVersionInfo(version).setNonce(nonce).setTypeUrl(SecretCodec.TYPE_URL);
    for (Secret secret : secrets) {
      response.addResources(SecretCodec.pack(secret));
    }
    return response.build();
  }

  private static Secret encode(String name, SecretValue value) {
    return SecretCodec.encode(name, value);
  }

  @Test
  void firstMessage_carriesNodeNamesAndTypeUrl() {
    DiscoveryRequest first = streams.last().requests.get(0);

    assertThat(first.getNode()).isEqualTo(Requests.NODE);
    assertThat(first.getResourceNamesList()).containsExactly(DEFAULT, ROOTCA);
    assertThat(first.getTypeUrl()).isEqualTo(SecretCodec.TYPE_URL);
    assertThat(first.getResponseNonce()).isEmpty();
  }

  @Test
  void validResponse_isApplied_notified_andAckedWithoutNode() {
    streams.last().client.onNext(response("v1", "n1",
        encode(DEFAULT, TestSecrets.cert("a")), encode(ROOTCA, TestSecrets.bundle("a"))));

    assertThat(client.secrets()).containsOnly(
        Map.entry(DEFAULT, TestSecrets.cert("a")), Map.entry(ROOTCA, TestSecrets.bundle("a")));
    assertThat(notified).containsExactly(DEFAULT, ROOTCA);
    DiscoveryRequest ack = streams.last().lastRequest();
    assertThat(ack.getVersionInfo()).isEqualTo("v1");
    assertThat(ack.getResponseNonce()).isEqualTo("n1");
    assertThat(ack.hasErrorDetail()).isFalse();
    assertThat(ack.hasNode()).isFalse();
    assertThat(client.acksSent()).isEqualTo(1);
  }

  @Test
  void unparsableResponse_isNackedWithErrorDetail_andPreviousValuesAreKept() {
    streams.last().client.onNext(response("v1", "n1", encode(DEFAULT, TestSecrets.cert("a"))));
    Secret broken = Secret.newBuilder().setName(DEFAULT).setTlsCertificate(
        encode(DEFAULT, TestSecrets.cert("b")).getTlsCertificate().toBuilder()
            .setPrivateKey(io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder()
                .setInlineBytes(ByteString.copyFromUtf8("not a key")))).build();

    streams.last().client.onNext(response("v2", "n2", broken));

    DiscoveryRequest nack = streams.last().lastRequest();
    assertThat(nack.getResponseNonce()).isEqualTo("n2");
    assertThat(nack.getVersionInfo()).isEqualTo("v1");
    assertThat(nack.getErrorDetail().getMessage()).contains("private key");
    assertThat(nack.getErrorDetail().getMessage()).doesNotContain("not a key");
    assertThat(client.secret(DEFAULT)).contains(TestSecrets.cert("a"));
    assertThat(client.nacksSent()).isEqualTo(1);
    assertThat(notified).containsExactly(DEFAULT);
  }

  @Test
  void partialResponse_isMergedWithWhatWasApplied() {
    streams.last().client.onNext(response("v1", "n1",
        encode(DEFAULT, TestSecrets.cert("a")), encode(ROOTCA, TestSecrets.bundle("a"))));

    streams.last().client.onNext(response("v2", "n2", encode(ROOTCA, TestSecrets.bundle("b"))));

    assertThat(client.secrets()).containsOnly(
        Map.entry(DEFAULT, TestSecrets.cert("a")), Map.entry(ROOTCA, TestSecrets.bundle("b")));
  }

  @Test
  void streamFailure_reconnectsAfterJitteredBackoff_sendingNodeAndAppliedVersionAgain() {
    streams.last().client.onNext(response("v1", "n1", encode(DEFAULT, TestSecrets.cert("a"))));
    streams.last().client.onError(Status.UNAVAILABLE.asRuntimeException());

    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(500));
    scheduler.advance(Duration.ofMillis(499));
    assertThat(streams.opened).hasSize(1);
    scheduler.advance(Duration.ofMillis(1));

    assertThat(streams.opened).hasSize(2);
    DiscoveryRequest first = streams.last().requests.get(0);
    assertThat(first.getNode()).isEqualTo(Requests.NODE);
    assertThat(first.getVersionInfo()).isEqualTo("v1");
    assertThat(first.getResponseNonce()).isEmpty();
    assertThat(client.secret(DEFAULT)).contains(TestSecrets.cert("a"));
  }

  @Test
  void repeatedFailures_doubleTheDelayUpToTheMax_andAResponseResetsIt() {
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      streams.last().client.onError(Status.UNAVAILABLE.asRuntimeException());
      delays.add(scheduler.pendingDelays().get(0));
      scheduler.advance(delays.get(i));
    }
    assertThat(delays).extracting(Duration::toMillis).containsExactly(500L, 1000L, 2000L, 4000L, 4000L, 4000L);

    streams.last().client.onNext(response("v1", "n1", encode(DEFAULT, TestSecrets.cert("a"))));
    streams.last().client.onCompleted();

    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void callbacksOfAReplacedStream_areIgnored() {
    FakeStreams.Stream old = streams.last();
    old.client.onError(Status.UNAVAILABLE.asRuntimeException());
    scheduler.advance(Duration.ofSeconds(1));

    old.client.onNext(response("v9", "n9", encode(DEFAULT, TestSecrets.cert("c"))));
    old.client.onError(Status.UNAVAILABLE.asRuntimeException());

    assertThat(client.secrets()).isEmpty();
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void close_endsTheStream_andCancelsAPendingReconnect() {
    streams.last().client.onError(Status.UNAVAILABLE.asRuntimeException());

    client.close();
    scheduler.advance(Duration.ofMinutes(1));

    assertThat(streams.opened).hasSize(1);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void close_completesTheOpenStream() {
    client.close();

    assertThat(streams.last().completedByClient).isTrue();
  }

  @Test
  void subscribe_sendsTheNewNamesWithTheLastNonce_andForgetsDroppedSecrets() {
    streams.last().client.onNext(response("v1", "n1",
        encode(DEFAULT, TestSecrets.cert("a")), encode(ROOTCA, TestSecrets.bundle("a"))));

    client.subscribe(Set.of(ROOTCA));

    DiscoveryRequest change = streams.last().lastRequest();
    assertThat(change.getResourceNamesList()).containsExactly(ROOTCA);
    assertThat(change.getResponseNonce()).isEqualTo("n1");
    assertThat(client.secrets()).containsOnlyKeys(ROOTCA);
  }
}
