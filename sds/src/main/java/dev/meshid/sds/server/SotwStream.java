package dev.meshid.sds.server;

import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.protocol.RequestDecision;
import dev.meshid.sds.protocol.RequestKind;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.protocol.SotwStreamState;
import dev.meshid.sds.protocol.Versions;
import dev.meshid.sds.secret.SecretSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.Map;

/** One StreamSecrets (state of the world) stream; the rules are in {@link SotwStreamState}. */
final class SotwStream extends SecretStream<DiscoveryRequest, DiscoveryResponse> {

  private final SotwStreamState state = new SotwStreamState();

  SotwStream(SecretSource source, SdsMetrics metrics, NonceGenerator nonces,
      StreamObserver<DiscoveryResponse> out, java.util.function.Consumer<SecretStream<?, ?>> onClose) {
    super(source, metrics, nonces, out, onClose);
  }

  @Override
  String typeUrl(DiscoveryRequest request) {
    return request.getTypeUrl();
  }

  @Override
  RequestDecision decide(DiscoveryRequest request) {
    return state.onRequest(request);
  }

  @Override
  boolean shouldSend(RequestDecision decision, String name, String version) {
    // An initial request asks for everything again, even what this stream was already sent.
    return decision.kind() == RequestKind.INITIAL || state.needsPush(name, version);
  }

  @Override
  boolean shouldPush(String name, String version) {
    return state.needsPush(name, version);
  }

  @Override
  DiscoveryResponse respond(Map<String, Secret> secrets, Map<String, String> versions, String nonce) {
    DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
        .setVersionInfo(Versions.ofResponse(versions))
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setNonce(nonce);
    secrets.values().forEach(secret -> response.addResources(SecretCodec.pack(secret)));
    state.recordSent(nonce, versions);
    return response.build();
  }

  @Override
  String peer() {
    return state.node().map(node -> node.getId()).orElse("<no node>");
  }
}
