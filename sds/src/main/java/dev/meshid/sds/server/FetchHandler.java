package dev.meshid.sds.server;

import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.protocol.Versions;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.UnknownSecretException;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * FetchSecrets: one request, one answer with the current value of every requested name.
 *
 * <p>Errors: no names is {@code INVALID_ARGUMENT} (SDS has no wildcard); an unknown name is
 * {@code NOT_FOUND}, as on streams; a served name without a value yet is {@code UNAVAILABLE}, which
 * tells the caller to retry instead of handing it a partial answer. The answer is always sent, even
 * when the request's version_info equals the current version: a unary call has nothing to wait on.
 */
final class FetchHandler {

  private final SecretSource source;
  private final SdsMetrics metrics;
  private final NonceGenerator nonces;

  FetchHandler(SecretSource source, SdsMetrics metrics, NonceGenerator nonces) {
    this.source = source;
    this.metrics = metrics;
    this.nonces = nonces;
  }

  void fetch(DiscoveryRequest request, StreamObserver<DiscoveryResponse> out) {
    Status status = check(request);
    if (!status.isOk()) {
      metrics.rejected();
      out.onError(status.asRuntimeException());
      return;
    }
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (String name : request.getResourceNamesList()) {
      Optional<SecretValue> value = source.current(name);
      if (value.isEmpty()) {
        metrics.rejected();
        out.onError(Status.UNAVAILABLE
            .withDescription("secret '" + name + "' is not available yet; retry later")
            .asRuntimeException());
        return;
      }
      secrets.put(name, SecretCodec.encode(name, value.get()));
    }
    Map<String, String> versions = new LinkedHashMap<>();
    secrets.forEach((name, secret) -> versions.put(name, Versions.of(secret)));
    DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
        .setVersionInfo(Versions.ofResponse(versions))
        .setTypeUrl(SecretCodec.TYPE_URL)
        .setNonce(nonces.next());
    secrets.values().forEach(secret -> response.addResources(SecretCodec.pack(secret)));
    metrics.fetch();
    out.onNext(response.build());
    out.onCompleted();
  }

  private Status check(DiscoveryRequest request) {
    if (SdsErrors.isWrongType(request.getTypeUrl())) {
      return SdsErrors.wrongType(request.getTypeUrl());
    }
    if (request.getResourceNamesCount() == 0) {
      return Status.INVALID_ARGUMENT.withDescription(
          "FetchSecrets needs resource_names: SDS has no wildcard subscription");
    }
    try {
      request.getResourceNamesList().forEach(source::checkServes);
      return Status.OK;
    } catch (UnknownSecretException e) {
      return SdsErrors.unknownSecret(e, source);
    }
  }
}
