package dev.meshid.sds.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.meshid.sds.testing.Requests;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state-of-the-world rules without any transport. */
class SotwStreamStateTest {

  private final SotwStreamState state = new SotwStreamState();

  private static DiscoveryRequest answering(String nonce, String... names) {
    return Requests.withNonce(nonce, false, names);
  }

  @Test
  void firstRequest_sendsEveryName_andWatchesThem() {
    RequestDecision d = state.onRequest(Requests.initial("default", "ROOTCA"));

    assertThat(d.kind()).isEqualTo(RequestKind.INITIAL);
    assertThat(d.send()).containsExactly("default", "ROOTCA");
    assertThat(d.added()).containsExactly("default", "ROOTCA");
    assertThat(d.removed()).isEmpty();
    assertThat(state.node()).contains(Requests.NODE);
  }

  @Test
  void matchingNonceWithoutError_isAnAck_withNothingToSend() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));

    RequestDecision d = state.onRequest(answering("n1", "default"));

    assertThat(d.kind()).isEqualTo(RequestKind.ACK);
    assertThat(d.send()).isEmpty();
    assertThat(d.added()).isEmpty();
  }

  @Test
  void matchingNonceWithError_isANack_carryingTheMessage() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));

    RequestDecision d = state.onRequest(answering("n1", "default").toBuilder()
        .setErrorDetail(Status.newBuilder().setMessage("bad cert")).build());

    assertThat(d.kind()).isEqualTo(RequestKind.NACK);
    assertThat(d.errorDetail()).isEqualTo("bad cert");
    assertThat(d.send()).isEmpty();
  }

  @Test
  void staleNonce_isIgnored_evenIfItChangesNames() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));
    state.recordSent("n2", Map.of("default", "v2"));

    RequestDecision d = state.onRequest(answering("n1", "default", "ROOTCA"));

    assertThat(d.kind()).isEqualTo(RequestKind.STALE);
    assertThat(d.send()).isEmpty();
    assertThat(state.subscribed()).containsExactly("default");
  }

  @Test
  void addedName_isSentAlone() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));

    RequestDecision d = state.onRequest(answering("n1", "default", "ROOTCA"));

    assertThat(d.kind()).isEqualTo(RequestKind.ACK);
    assertThat(d.send()).containsExactly("ROOTCA");
    assertThat(d.added()).containsExactly("ROOTCA");
  }

  @Test
  void emptyList_unsubscribesEverything() {
    state.onRequest(Requests.initial("default", "ROOTCA"));
    state.recordSent("n1", Map.of("default", "v1", "ROOTCA", "r1"));

    RequestDecision d = state.onRequest(answering("n1"));

    assertThat(d.removed()).containsExactlyInAnyOrder("default", "ROOTCA");
    assertThat(state.subscribed()).isEmpty();
    assertThat(state.needsPush("default", "v2")).isFalse();
  }

  @Test
  void nonceOfAnotherStream_onAFreshStream_isAFirstRequest() {
    RequestDecision d = state.onRequest(answering("old-stream-nonce-7", "default"));

    assertThat(d.kind()).isEqualTo(RequestKind.INITIAL);
    assertThat(d.send()).containsExactly("default");
  }

  @Test
  void requestWithoutNonce_afterResponses_isAnsweredInFullAgain() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));

    RequestDecision d = state.onRequest(Requests.initial("default"));

    assertThat(d.kind()).isEqualTo(RequestKind.INITIAL);
    assertThat(d.send()).containsExactly("default");
  }

  @Test
  void needsPush_onlyForSubscribedNamesWithANewVersion() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));

    assertThat(state.needsPush("default", "v1")).isFalse();
    assertThat(state.needsPush("default", "v2")).isTrue();
    assertThat(state.needsPush("ROOTCA", "r1")).isFalse();
  }

  @Test
  void resubscribedName_isSentAgain_evenAtTheSameVersion() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));
    state.onRequest(answering("n1"));
    state.recordSent("n1", Map.of());

    RequestDecision d = state.onRequest(answering("n1", "default"));

    assertThat(d.send()).containsExactly("default");
    assertThat(state.needsPush("default", "v1")).isTrue();
  }

  @Test
  void node_isKeptFromTheFirstMessage_whenLaterOnesOmitIt() {
    state.onRequest(Requests.initial("default"));
    state.recordSent("n1", Map.of("default", "v1"));
    state.onRequest(answering("n1", "default"));

    assertThat(state.node()).contains(Requests.NODE);
    assertThat(state.lastNonce()).contains("n1");
  }
}
