package dev.meshid.sds.server;

import static dev.meshid.sds.secret.SecretNames.DEFAULT;
import static dev.meshid.sds.secret.SecretNames.ROOTCA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.Responses;
import dev.meshid.sds.testing.TestSecrets;
import dev.meshid.sds.testing.UnixSocketServerFixture;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FetchSecrets (unary) over a real Unix socket. */
class FetchSecretsConformanceTest extends UnixSocketServerFixture {

  private DiscoveryResponse fetch(DiscoveryRequest request) {
    return SecretDiscoveryServiceGrpc.newBlockingStub(channel).fetchSecrets(request);
  }

  @Test
  void fetch_answersEveryRequestedSecret() {
    DiscoveryResponse response = fetch(Requests.initial(DEFAULT, ROOTCA));

    assertThat(response.getTypeUrl()).isEqualTo(SecretCodec.TYPE_URL);
    assertThat(response.getVersionInfo()).isNotEmpty();
    assertThat(Responses.values(response)).containsExactly(
        Map.entry(DEFAULT, TestSecrets.cert("a")), Map.entry(ROOTCA, TestSecrets.bundle("a")));
    assertThat(server.metrics().fetches()).isEqualTo(1);
  }

  @Test
  void fetchAfterChange_seesTheNewValueWithNewVersionAndNonce() {
    DiscoveryResponse before = fetch(Requests.initial(ROOTCA));
    secrets.putTrustBundle(TestSecrets.bundle("a", "b"));

    DiscoveryResponse after = fetch(Requests.initial(ROOTCA));

    assertThat(after.getVersionInfo()).isNotEqualTo(before.getVersionInfo());
    assertThat(after.getNonce()).isNotEqualTo(before.getNonce());
    assertThat(Responses.values(after)).containsExactly(Map.entry(ROOTCA, TestSecrets.bundle("a", "b")));
  }

  @Test
  void fetchWithTheCurrentVersion_isStillAnswered() {
    DiscoveryResponse first = fetch(Requests.initial(DEFAULT));

    DiscoveryResponse again = fetch(Requests.initial(DEFAULT).toBuilder()
        .setVersionInfo(first.getVersionInfo()).setResponseNonce(first.getNonce()).build());

    assertThat(again.getVersionInfo()).isEqualTo(first.getVersionInfo());
    assertThat(Responses.names(again)).containsExactly(DEFAULT);
  }

  @Test
  void fetchOfUnknownName_isNotFound_namingItAndWhatIsServed() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> fetch(Requests.initial(DEFAULT, "nope")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription()).contains("'nope'").contains(DEFAULT).contains(ROOTCA);
  }

  @Test
  void fetchWithoutNames_isInvalidArgument() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> fetch(Requests.initial()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
