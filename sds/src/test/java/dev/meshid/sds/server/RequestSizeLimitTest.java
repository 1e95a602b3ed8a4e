package dev.meshid.sds.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.testing.Requests;
import dev.meshid.sds.testing.UnixSocketServerFixture;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** A request above {@link SdsServer#MAX_REQUEST_BYTES} fails its stream only; the server keeps serving. */
class RequestSizeLimitTest extends UnixSocketServerFixture {

  @Test
  void oversizedRequest_failsWithResourceExhausted_andOtherStreamsAreStillServed() {
    DiscoveryRequest huge = DiscoveryRequest.newBuilder(Requests.initial("default"))
        .setNode(Node.newBuilder().setId("x".repeat(SdsServer.MAX_REQUEST_BYTES + 1))).build();
    var big = openStream().send(huge);

    Status status = big.awaitError();
    System.out.println("oversized SDS request: " + status);
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    var normal = openStream().send(Requests.initial("default"));
    assertThat(normal.next().getTypeUrl()).isEqualTo(SecretCodec.TYPE_URL);
  }
}
