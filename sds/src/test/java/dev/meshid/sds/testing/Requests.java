package dev.meshid.sds.testing;

import com.google.rpc.Status;
import dev.meshid.sds.protocol.SecretCodec;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.List;

/** Requests shaped the way Envoy sends them. */
public final class Requests {

  public static final Node NODE = Node.newBuilder()
      .setId("sidecar~10.0.0.1~app-1.default~default.svc.cluster.local")
      .setCluster("app.default")
      .build();

  private Requests() {}

  /** The first request of a stream: node, type URL, names, no nonce. */
  public static DiscoveryRequest initial(String... names) {
    return DiscoveryRequest.newBuilder()
        .setNode(NODE)
        .setTypeUrl(SecretCodec.TYPE_URL)
        .addAllResourceNames(List.of(names))
        .build();
  }

  /** An ACK of {@code response} that keeps (or changes) the name list; no node, as Envoy does. */
  public static DiscoveryRequest ack(DiscoveryResponse response, String... names) {
    return DiscoveryRequest.newBuilder()
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setVersionInfo(response.getVersionInfo())
        .setResponseNonce(response.getNonce())
        .addAllResourceNames(List.of(names))
        .build();
  }

  /** A NACK of {@code response}: previous version, its nonce, an error_detail. */
  public static DiscoveryRequest nack(DiscoveryResponse response, String error, String... names) {
    return DiscoveryRequest.newBuilder()
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setResponseNonce(response.getNonce())
        .addAllResourceNames(List.of(names))
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(error))
        .build();
  }

  /** A request answering an arbitrary nonce (stale, or from a previous stream). */
  public static DiscoveryRequest withNonce(String nonce, boolean withNode, String... names) {
    DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setResponseNonce(nonce)
        .addAllResourceNames(List.of(names));
    if (withNode) {
      request.setNode(NODE);
    }
    return request.build();
  }

  /** The first delta request: node, subscriptions. */
  public static DeltaDiscoveryRequest deltaInitial(String... names) {
    return DeltaDiscoveryRequest.newBuilder()
        .setNode(NODE)
        .setTypeUrl(SecretCodec.TYPE_URL)
        .addAllResourceNamesSubscribe(List.of(names))
        .build();
  }

  /** A delta ACK of the response with {@code nonce}. */
  public static DeltaDiscoveryRequest deltaAck(String nonce) {
    return DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setResponseNonce(nonce)
        .build();
  }

  /** A delta NACK of the response with {@code nonce}. */
  public static DeltaDiscoveryRequest deltaNack(String nonce, String error) {
    return DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setResponseNonce(nonce)
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(error))
        .build();
  }
}
