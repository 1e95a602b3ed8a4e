package dev.meshid.sds.server;

import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.protocol.Versions;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.secret.SecretValue;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
  private final Set<SecretStream<?, ?>> open = ConcurrentHashMap.newKeySet();

  /** Serves {@code source}, counting into {@code metrics}, with nonces from {@code nonces}. */
  public SecretDiscoveryService(SecretSource source, SdsMetrics metrics, NonceGenerator nonces) {
    this.source = Objects.requireNonNull(source, "source");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
    this.fetch = new FetchHandler(source, metrics, nonces);
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamSecrets(StreamObserver<DiscoveryResponse> out) {
    return track(new SotwStream(source, metrics, nonces, out, open::remove));
  }

  @Override
  public StreamObserver<DeltaDiscoveryRequest> deltaSecrets(StreamObserver<DeltaDiscoveryResponse> out) {
    return track(new DeltaStream(source, metrics, nonces, out, open::remove));
  }

  @Override
  public void fetchSecrets(DiscoveryRequest request, StreamObserver<DiscoveryResponse> out) {
    fetch.fetch(request, out);
  }

  /**
   * How many open streams watch {@code name}, and how many of their clients acknowledged {@code value}
   * (a client ACKs a response after applying it, so an ACKed trust bundle is in use).
   */
  public AckStatus acknowledged(String name, SecretValue value) {
    String version = Versions.of(SecretCodec.encode(name, value));
    int watching = 0;
    int acked = 0;
    for (SecretStream<?, ?> stream : open) {
      var state = stream.acknowledged(name, version);
      if (state.isPresent()) {
        watching++;
        acked += state.get() ? 1 : 0;
      }
    }
    return new AckStatus(watching, acked);
  }

  private <T extends SecretStream<?, ?>> T track(T stream) {
    open.add(stream);
    return stream;
  }

  /** The counters of this service. */
  public SdsMetrics metrics() {
    return metrics;
  }
}
