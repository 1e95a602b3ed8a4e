package dev.meshid.sds.client;

import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.meshid.sds.protocol.SecretCodec;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Collection;

/** The requests an Envoy-like client sends. */
final class ClientRequests {

  private ClientRequests() {}

  /**
   * First message of a stream: the node (sent only here, as with set_node_on_first_message_only),
   * the names, and the last version applied, which tells the server what a reconnecting client has.
   */
  static DiscoveryRequest initial(Node node, Collection<String> names, String appliedVersion) {
    return base(names, appliedVersion).setNode(node).build();
  }

  /** Acknowledges the response with {@code nonce}, now applied at {@code version}. */
  static DiscoveryRequest ack(Collection<String> names, String version, String nonce) {
    return base(names, version).setResponseNonce(nonce).build();
  }

  /** Rejects the response with {@code nonce}; {@code appliedVersion} is what the client still uses. */
  static DiscoveryRequest nack(Collection<String> names, String appliedVersion, String nonce, String error) {
    return base(names, appliedVersion)
        .setResponseNonce(nonce)
        .setErrorDetail(Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(error))
        .build();
  }

  private static DiscoveryRequest.Builder base(Collection<String> names, String version) {
    return DiscoveryRequest.newBuilder()
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setVersionInfo(version)
        .addAllResourceNames(names);
  }
}
