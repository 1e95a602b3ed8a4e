package dev.meshid.sds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.secret.InMemorySecretSource;
import dev.meshid.sds.testing.TestSecrets;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Whatever sequence of requests a client sends on one StreamSecrets or DeltaSecrets stream (any names,
 * nonces, type URLs, NACKs, interleaved with secret changes), the stream never throws into gRPC, only ever
 * sends secrets it serves and the client subscribed to, and sends nothing after it failed the stream.
 * Under {@code mvn test} this replays the corpus in
 * {@code src/test/resources/dev/meshid/sds/server/SdsRequestFuzzTestInputs/<method>/}. To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl sds test -Dtest=SdsRequestFuzzTest -Djazzer.instrument=dev.meshid.**}.
 *
 * <p>The input is read as a script by {@link FuzzedDataProvider}: the first byte chooses the stream kind,
 * then each step is a request or a secret change.
 */
class SdsRequestFuzzTest {
  private static final List<String> NAMES = List.of("default", "ROOTCA", "file-cert:/x", "");
  private static final int MAX_STEPS = 32;

  @FuzzTest(maxDuration = "60s")
  void stream_anyRequestSequence_sendsOnlySubscribedServedSecrets(FuzzedDataProvider data) {
    InMemorySecretSource secrets = InMemorySecretSource.forWorkload();
    secrets.putCertificate(TestSecrets.cert("a"));
    SecretDiscoveryService service =
        new SecretDiscoveryService(secrets, new SdsMetrics(), new NonceGenerator("fuzz"));
    FakeServerStream<Object> out = new FakeServerStream<>();
    boolean delta = data.consumeBoolean();
    @SuppressWarnings({"unchecked", "rawtypes"})
    StreamObserver<Object> in = delta
        ? (StreamObserver) service.deltaSecrets((StreamObserver) out)
        : (StreamObserver) service.streamSecrets((StreamObserver) out);
    List<String> everRequested = new ArrayList<>();
    for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
      int sentBefore = out.values.size();
      boolean failedBefore = out.error != null;
      switch (data.consumeInt(0, 5)) {
        case 0 -> secrets.putCertificate(TestSecrets.cert(data.consumeBoolean() ? "a" : "b"));
        case 1 -> secrets.putTrustBundle(TestSecrets.bundle(data.consumeBoolean() ? "a" : "b"));
        default -> in.onNext(delta ? deltaRequest(data, out, everRequested) : sotwRequest(data, out, everRequested));
      }
      if (failedBefore) {
        assertThat(out.values).as("nothing is sent after the stream failed").hasSize(sentBefore);
      }
    }
    for (Object response : out.values) {
      for (String name : names(response)) {
        assertThat(secrets.advertisedNames()).contains(name);
        assertThat(everRequested).contains(name);
      }
    }
    if (out.error != null) {
      assertThat(io.grpc.Status.fromThrowable(out.error).getDescription()).isNotBlank();
    }
    in.onCompleted();
    assertThat(secrets.watcherCount("default") + secrets.watcherCount("ROOTCA")).as("watches released").isZero();
  }

  private static DiscoveryRequest sotwRequest(FuzzedDataProvider data, FakeServerStream<Object> out,
      List<String> requested) {
    DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder()
        .setTypeUrl(typeUrl(data))
        .setResponseNonce(nonce(data, out))
        .setVersionInfo(data.consumeString(8));
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      String name = name(data);
      requested.add(name);
      r.addResourceNames(name);
    }
    if (data.consumeBoolean()) {
      r.setNode(Node.newBuilder().setId(data.consumeString(16)));
    }
    if (data.consumeBoolean()) {
      r.setErrorDetail(Status.newBuilder().setCode(3).setMessage(data.consumeString(32)));
    }
    return r.build();
  }

  private static DeltaDiscoveryRequest deltaRequest(FuzzedDataProvider data, FakeServerStream<Object> out,
      List<String> requested) {
    DeltaDiscoveryRequest.Builder r = DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(typeUrl(data))
        .setResponseNonce(nonce(data, out));
    int subscribe = data.consumeInt(0, 3);
    for (int i = 0; i < subscribe; i++) {
      String name = name(data);
      requested.add(name);
      r.addResourceNamesSubscribe(name);
    }
    int unsubscribe = data.consumeInt(0, 2);
    for (int i = 0; i < unsubscribe; i++) {
      r.addResourceNamesUnsubscribe(name(data));
    }
    if (data.consumeBoolean()) {
      r.putInitialResourceVersions(name(data), data.consumeString(16));
    }
    if (data.consumeBoolean()) {
      r.setErrorDetail(Status.newBuilder().setCode(3).setMessage(data.consumeString(32)));
    }
    return r.build();
  }

  private static String typeUrl(FuzzedDataProvider data) {
    return data.consumeInt(0, 7) == 0 ? data.consumeString(40) : SecretCodec.TYPE_URL;
  }

  private static String name(FuzzedDataProvider data) {
    int pick = data.consumeInt(0, NAMES.size());
    return pick < NAMES.size() ? NAMES.get(pick) : data.consumeString(24);
  }

  /** Empty, the nonce of the last response, of an earlier one, or made up. */
  private static String nonce(FuzzedDataProvider data, FakeServerStream<Object> out) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> "";
      case 1 -> out.values.isEmpty() ? "" : nonceOf(out.values.get(out.values.size() - 1));
      case 2 -> out.values.isEmpty() ? "" : nonceOf(out.values.get(0));
      default -> data.consumeString(16);
    };
  }

  private static String nonceOf(Object response) {
    return response instanceof DiscoveryResponse r ? r.getNonce() : ((DeltaDiscoveryResponse) response).getNonce();
  }

  private static List<String> names(Object response) {
    List<String> names = new ArrayList<>();
    if (response instanceof DiscoveryResponse r) {
      r.getResourcesList().forEach(any -> {
        try {
          names.add(any.unpack(Secret.class).getName());
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("the server sent a resource that is not a Secret", e);
        }
      });
    } else {
      ((DeltaDiscoveryResponse) response).getResourcesList().stream().map(Resource::getName).forEach(names::add);
    }
    return names;
  }
}
