package dev.meshid.sds.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.sds.testing.Requests;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delta rules without any transport. */
class DeltaStreamStateTest {

  private final DeltaStreamState state = new DeltaStreamState();

  @Test
  void firstRequest_isInitial_andSubscribes() {
    RequestDecision d = state.onRequest(Requests.deltaInitial("default", "ROOTCA"));

    assertThat(d.kind()).isEqualTo(RequestKind.INITIAL);
    assertThat(d.send()).containsExactly("default", "ROOTCA");
    assertThat(state.needsSend("default", "v1")).isTrue();
  }

  @Test
  void initialResourceVersions_suppressWhatTheClientAlreadyHas() {
    state.onRequest(Requests.deltaInitial("default").toBuilder()
        .putInitialResourceVersions("default", "v1").build());

    assertThat(state.needsSend("default", "v1")).isFalse();
    assertThat(state.needsSend("default", "v2")).isTrue();
  }

  @Test
  void ackAndNack_areClassifiedByTheLastNonce() {
    state.onRequest(Requests.deltaInitial("default"));
    state.recordSent("n1", Map.of("default", "v1"));

    assertThat(state.onRequest(Requests.deltaAck("n1")).kind()).isEqualTo(RequestKind.ACK);
    RequestDecision nack = state.onRequest(Requests.deltaNack("n1", "broken"));
    assertThat(nack.kind()).isEqualTo(RequestKind.NACK);
    assertThat(nack.errorDetail()).isEqualTo("broken");
  }

  @Test
  void staleNonce_isNotAnAck_butItsSubscriptionsStillApply() {
    state.onRequest(Requests.deltaInitial("default"));
    state.recordSent("n1", Map.of("default", "v1"));
    state.recordSent("n2", Map.of("default", "v2"));

    RequestDecision d = state.onRequest(Requests.deltaAck("n1").toBuilder()
        .addResourceNamesSubscribe("ROOTCA").build());

    assertThat(d.kind()).isEqualTo(RequestKind.STALE);
    assertThat(d.send()).containsExactly("ROOTCA");
    assertThat(state.subscribed()).containsExactlyInAnyOrder("default", "ROOTCA");
  }

  @Test
  void unsubscribe_removesTheName_andForgetsTheClientsVersion() {
    state.onRequest(Requests.deltaInitial("default", "ROOTCA"));
    state.recordSent("n1", Map.of("default", "v1", "ROOTCA", "r1"));

    RequestDecision d = state.onRequest(DeltaDiscoveryRequest.newBuilder()
        .addResourceNamesUnsubscribe("default").build());

    assertThat(d.kind()).isEqualTo(RequestKind.SUBSCRIPTION_CHANGE);
    assertThat(d.removed()).containsExactly("default");
    assertThat(state.needsSend("default", "v2")).isFalse();
    assertThat(state.needsSend("ROOTCA", "r1")).isFalse();
  }

  @Test
  void oldNonceOnTheFirstMessage_isAFirstRequest() {
    RequestDecision d = state.onRequest(Requests.deltaInitial("default").toBuilder()
        .setResponseNonce("previous-stream-3").build());

    assertThat(d.kind()).isEqualTo(RequestKind.INITIAL);
    assertThat(d.send()).containsExactly("default");
  }
}
