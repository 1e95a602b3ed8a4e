package dev.meshid.sds.server;

import dev.meshid.sds.protocol.DeltaStreamState;
import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.protocol.RequestDecision;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.protocol.Versions;
import dev.meshid.sds.secret.SecretSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.StreamObserver;
import java.util.Map;

/** One DeltaSecrets (incremental) stream; the rules are in {@link DeltaStreamState}. */
final class DeltaStream extends SecretStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

  private final DeltaStreamState state = new DeltaStreamState();

  DeltaStream(SecretSource source, SdsMetrics metrics, NonceGenerator nonces,
      StreamObserver<DeltaDiscoveryResponse> out, java.util.function.Consumer<SecretStream<?, ?>> onClose) {
    super(source, metrics, nonces, out, onClose);
  }

  @Override
  String typeUrl(DeltaDiscoveryRequest request) {
    return request.getTypeUrl();
  }

  @Override
  RequestDecision decide(DeltaDiscoveryRequest request) {
    return state.onRequest(request);
  }

  @Override
  boolean shouldSend(RequestDecision decision, String name, String version) {
    return state.needsSend(name, version);
  }

  @Override
  boolean shouldPush(String name, String version) {
    return state.needsSend(name, version);
  }

  @Override
  DeltaDiscoveryResponse respond(
      Map<String, Secret> secrets, Map<String, String> versions, String nonce) {
    DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder()
        .setSystemVersionInfo(Versions.ofResponse(versions))
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setNonce(nonce);
    secrets.forEach((name, secret) -> response.addResources(Resource.newBuilder()
        .setName(name)
        .setVersion(versions.get(name))
        .setResource(SecretCodec.pack(secret))));
    state.recordSent(nonce, versions);
    return response.build();
  }

  @Override
  String peer() {
    return state.node().map(node -> node.getId()).orElse("<no node>");
  }
}
