package dev.meshid.sds.server;

import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.secret.SecretSource;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/**
 * The gRPC service {@code envoy.service.secret.v3.SecretDiscoveryService}, independent of transport:
 * {@link SdsServer} binds it to a Unix socket or TCP, and a host that runs its own gRPC server (or
 * an in-process one in tests) can add it directly.
 */
public final class SecretDiscoveryService extends SecretDiscoveryServiceGrpc.SecretDiscoveryServiceImplBase {

  private final SecretSource source;
  private final SdsMetrics metrics;
  private final NonceGenerator nonces;
  private final FetchHandler fetch;

  /** Serves {@code source}, counting into {@code metrics}, with nonces from {@code nonces}. */
  public SecretDiscoveryService(SecretSource source, SdsMetrics metrics, NonceGenerator nonces) {
    this.source = Objects.requireNonNull(source, "source");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
    this.fetch = new FetchHandler(source, metrics, nonces);
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamSecrets(StreamObserver<DiscoveryResponse> out) {
    return new SotwStream(source, metrics, nonces, out);
  }

  @Override
  public StreamObserver<DeltaDiscoveryRequest> deltaSecrets(StreamObserver<DeltaDiscoveryResponse> out) {
    return new DeltaStream(source, metrics, nonces, out);
  }

  @Override
  public void fetchSecrets(DiscoveryRequest request, StreamObserver<DiscoveryResponse> out) {
    fetch.fetch(request, out);
  }

  /** The counters of this service. */
  public SdsMetrics metrics() {
    return metrics;
  }
}
