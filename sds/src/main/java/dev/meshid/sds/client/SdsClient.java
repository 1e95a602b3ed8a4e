package dev.meshid.sds.client;

import dev.meshid.sds.Scheduler;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.secret.SecretListener;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.Subscription;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SDS (StreamSecrets) client that behaves as Envoy does: it subscribes to names, applies and ACKs
 * what it can parse, NACKs (with error_detail) what it cannot and keeps the previous values, and
 * reconnects with exponential backoff and jitter when the stream ends. Used by the meshid proxy and
 * by tests. Build one with {@link SdsClientBuilder}.
 *
 * <p>Secrets are an immutable map swapped in one step: {@link #secrets()} never locks. Listeners
 * run on the gRPC thread that delivered the response, before the ACK is sent.
 */
public final class SdsClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SdsClient.class);

  private final StreamOpener opener;
  private final Node node;
  private final Scheduler scheduler;
  private final SdsClientBuilder.Settings settings;
  private final List<SecretListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong nacks = new AtomicLong();
  private final AtomicLong streamsOpened = new AtomicLong();
  private volatile Map<String, SecretValue> secrets = Map.of();

  // Guarded by this: the stream and its protocol state.
  private final Set<String> names;
  private StreamObserver<DiscoveryRequest> stream;
  private int generation;
  private int failedAttempts;
  private String appliedVersion = "";
  private String lastNonce = "";
  private Scheduler.Cancellable pendingReconnect;
  private boolean closed;

  SdsClient(StreamOpener opener, Node node, Set<String> names, Scheduler scheduler,
      SdsClientBuilder.Settings settings) {
    this.opener = opener;
    this.node = node;
    this.names = new LinkedHashSet<>(names);
    this.scheduler = scheduler;
    this.settings = settings;
  }

  /** Opens the first stream. */
  public synchronized SdsClient start() {
    if (stream == null && !closed) {
      connect();
    }
    return this;
  }

  /** The latest applied value of {@code name}. */
  public Optional<SecretValue> secret(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  /** Every applied secret by name; an immutable snapshot. */
  public Map<String, SecretValue> secrets() {
    return secrets;
  }

  /** Calls {@code listener} for every secret applied from now on, until the subscription closes. */
  public Subscription addListener(SecretListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Changes the subscribed names. Dropped names are forgotten at once; added names are requested
   * on the open stream (or on the next one).
   */
  public synchronized void subscribe(Set<String> newNames) {
    names.clear();
    names.addAll(newNames);
    Map<String, SecretValue> kept = new LinkedHashMap<>(secrets);
    kept.keySet().retainAll(names);
    secrets = Map.copyOf(kept);
    if (stream != null) {
      stream.onNext(ClientRequests.ack(names, appliedVersion, lastNonce));
    }
  }

  /** ACKs sent since start. */
  public long acksSent() {
    return acks.get();
  }

  /** NACKs sent since start. */
  public long nacksSent() {
    return nacks.get();
  }

  /** Streams opened, the first one included. */
  public long streamsOpened() {
    return streamsOpened.get();
  }

  /** Ends the stream and stops reconnecting. */
  @Override
  public synchronized void close() {
    closed = true;
    if (pendingReconnect != null) {
      pendingReconnect.cancel();
    }
    if (stream != null) {
      stream.onCompleted();
      stream = null;
    }
  }

  private void connect() {
    int current = ++generation;
    pendingReconnect = null;
    lastNonce = "";
    streamsOpened.incrementAndGet();
    try {
      stream = opener.open(new Responses(current));
      stream.onNext(ClientRequests.initial(node, names, appliedVersion));
    } catch (RuntimeException e) {
      onStreamEnded(current, e);
    }
  }

  private synchronized void onResponse(int from, DiscoveryResponse response) {
    if (from != generation || closed) {
      return;
    }
    failedAttempts = 0;
    lastNonce = response.getNonce();
    Map<String, SecretValue> received = new LinkedHashMap<>();
    try {
      for (var resource : response.getResourcesList()) {
        Secret secret = SecretCodec.unpack(resource);
        received.put(secret.getName(), SecretCodec.decode(secret));
      }
    } catch (IllegalArgumentException e) {
      log.warn("SDS response {} rejected: {}", response.getVersionInfo(), e.getMessage());
      nacks.incrementAndGet();
      stream.onNext(ClientRequests.nack(names, appliedVersion, lastNonce, e.getMessage()));
      return;
    }
    received.keySet().retainAll(names);
    // SDS responses may carry only the changed secrets: merge, never replace the whole map.
    Map<String, SecretValue> merged = new LinkedHashMap<>(secrets);
    merged.putAll(received);
    secrets = Map.copyOf(merged);
    appliedVersion = response.getVersionInfo();
    received.forEach(this::notifyListeners);
    acks.incrementAndGet();
    stream.onNext(ClientRequests.ack(names, appliedVersion, lastNonce));
  }

  private void notifyListeners(String name, SecretValue value) {
    for (SecretListener listener : listeners) {
      try {
        listener.onChange(name, value);
      } catch (RuntimeException e) {
        log.warn("SDS client listener failed for {}", name, e);
      }
    }
  }

  private synchronized void onStreamEnded(int from, Throwable error) {
    // A stream can report its end twice (a failed send, then onError): schedule one reconnect.
    if (from != generation || closed || pendingReconnect != null) {
      return;
    }
    stream = null;
    var delay = settings.backoff().delay(failedAttempts++, settings.random());
    log.info("SDS stream ended ({}); reconnecting in {} ms", error == null ? "completed" : error.toString(),
        delay.toMillis());
    pendingReconnect = scheduler.schedule(delay, this::reconnect);
  }

  private synchronized void reconnect() {
    if (!closed) {
      connect();
    }
  }

  /** Responses of one stream; callbacks from a replaced stream are ignored by generation. */
  private final class Responses implements StreamObserver<DiscoveryResponse> {
    private final int generation;

    Responses(int generation) {
      this.generation = generation;
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      onResponse(generation, response);
    }

    @Override
    public void onError(Throwable t) {
      onStreamEnded(generation, t);
    }

    @Override
    public void onCompleted() {
      onStreamEnded(generation, null);
    }
  }
}
