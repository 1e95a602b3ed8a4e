package dev.meshid.sds.client;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.Channel;
import io.grpc.ManagedChannel;

/**
 * Opens one StreamSecrets stream. In production this is the gRPC stub; tests substitute a fake to
 * drive the client without a transport.
 */
@FunctionalInterface
public interface StreamOpener {

  /** Opens a stream whose responses go to {@code responses}; returns where to send requests. */
  io.grpc.stub.StreamObserver<DiscoveryRequest> open(
      io.grpc.stub.StreamObserver<DiscoveryResponse> responses);

  /** Streams over {@code channel}. Prefer {@link #over(ManagedChannel)} when you have one. */
  static StreamOpener over(Channel channel) {
    return SecretDiscoveryServiceGrpc.newStub(channel)::streamSecrets;
  }

  /**
   * Streams over {@code channel}, e.g. one from {@link SdsChannels}. Every open first resets the
   * channel's own connect backoff: otherwise, after the server was down for a while, gRPC's
   * internal backoff (growing to minutes) would fail our reconnects fast and hide the client's
   * own backoff, delaying recovery long after the server is back.
   */
  static StreamOpener over(ManagedChannel channel) {
    SecretDiscoveryServiceGrpc.SecretDiscoveryServiceStub stub = SecretDiscoveryServiceGrpc.newStub(channel);
    return responses -> {
      channel.resetConnectBackoff();
      return stub.streamSecrets(responses);
    };
  }
}
