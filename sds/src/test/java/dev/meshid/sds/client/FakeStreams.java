package dev.meshid.sds.client;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** A {@link StreamOpener} without transport: records requests, lets the test play the server. */
final class FakeStreams implements StreamOpener {

  /** One opened stream. */
  static final class Stream implements StreamObserver<DiscoveryRequest> {
    final List<DiscoveryRequest> requests = new ArrayList<>();
    final StreamObserver<DiscoveryResponse> client;
    boolean completedByClient;

    Stream(StreamObserver<DiscoveryResponse> client) {
      this.client = client;
    }

    DiscoveryRequest lastRequest() {
      return requests.get(requests.size() - 1);
    }

    @Override
    public void onNext(DiscoveryRequest value) {
      requests.add(value);
    }

    @Override
    public void onError(Throwable t) {
      completedByClient = true;
    }

    @Override
    public void onCompleted() {
      completedByClient = true;
    }
  }

  final List<Stream> opened = new ArrayList<>();

  @Override
  public StreamObserver<DiscoveryRequest> open(StreamObserver<DiscoveryResponse> responses) {
    Stream stream = new Stream(responses);
    opened.add(stream);
    return stream;
  }

  Stream last() {
    return opened.get(opened.size() - 1);
  }
}
