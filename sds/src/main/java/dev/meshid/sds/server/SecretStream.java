package dev.meshid.sds.server;

import dev.meshid.sds.protocol.NonceGenerator;
import dev.meshid.sds.protocol.RequestDecision;
import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.protocol.Versions;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.Subscription;
import dev.meshid.sds.secret.UnknownSecretException;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue between one gRPC stream, its protocol state and the secret source: watches what the client
 * subscribes to and sends what the state says to send. Every entry point (client request, secret
 * change, cancellation) holds this object's monitor, because neither the state nor a gRPC
 * {@code StreamObserver} is thread-safe.
 *
 * @param <Q> request message type
 * @param <R> response message type
 */
abstract class SecretStream<Q, R> implements StreamObserver<Q> {

  private static final Logger log = LoggerFactory.getLogger(SecretStream.class);

  private final SecretSource source;
  private final SdsMetrics metrics;
  private final NonceGenerator nonces;
  private final ServerCallStreamObserver<R> out;
  private final Map<String, Subscription> watches = new HashMap<>();
  // Versions sent so far, those in the last response, and those the client acknowledged.
  private final Map<String, String> sent = new HashMap<>();
  private Map<String, String> lastSent = Map.of();
  private final Map<String, String> acked = new HashMap<>();
  private final Consumer<SecretStream<?, ?>> onClose;
  private boolean closed;

  SecretStream(SecretSource source, SdsMetrics metrics, NonceGenerator nonces, StreamObserver<R> out,
      Consumer<SecretStream<?, ?>> onClose) {
    this.onClose = onClose;
    this.source = source;
    this.metrics = metrics;
    this.nonces = nonces;
    this.out = (ServerCallStreamObserver<R>) out;
    // Without a cancel handler, a push racing a cancellation would throw from onNext.
    this.out.setOnCancelHandler(this::close);
    metrics.streamOpened();
  }

  /** Type URL of a request. */
  abstract String typeUrl(Q request);

  /** Lets the protocol state classify a request. */
  abstract RequestDecision decide(Q request);

  /** Whether {@code name} at {@code version} must be sent in answer to {@code decision}. */
  abstract boolean shouldSend(RequestDecision decision, String name, String version);

  /** Whether a change of {@code name} to {@code version} must be pushed. */
  abstract boolean shouldPush(String name, String version);

  /** Builds a response and records it in the protocol state. */
  abstract R respond(Map<String, Secret> secrets, Map<String, String> versions, String nonce);

  /** A short description of the stream's client for logs. */
  abstract String peer();

  @Override
  public final synchronized void onNext(Q request) {
    if (closed) {
      return;
    }
    if (SdsErrors.isWrongType(typeUrl(request))) {
      fail(SdsErrors.wrongType(typeUrl(request)));
      return;
    }
    RequestDecision decision = decide(request);
    switch (decision.kind()) {
      case ACK -> {
        metrics.ack();
        // An ACK of the newest nonce covers every earlier response too (older nonces are stale).
        acked.putAll(sent);
      }
      case NACK -> {
        metrics.nack();
        sent.forEach((name, version) -> {
          if (!lastSent.containsKey(name)) {
            acked.put(name, version);
          }
        });
        log.warn("SDS client {} rejected the last response: {}", peer(), decision.errorDetail());
      }
      case STALE -> metrics.staleNonce();
      case INITIAL -> log.debug("SDS stream from {} subscribes to {}", peer(), decision.send());
      default -> { }
    }
    try {
      decision.added().forEach(source::checkServes);
    } catch (UnknownSecretException e) {
      log.warn("SDS client {} asked for an unknown secret: {}", peer(), e.getMessage());
      fail(SdsErrors.unknownSecret(e, source));
      return;
    }
    decision.removed().forEach(
        name -> Optional.ofNullable(watches.remove(name)).ifPresent(Subscription::close));
    // Watch before reading the current value, so no change can fall between the two.
    decision.added().forEach(name -> watches.put(name, source.watch(name, this::onSecretChange)));
    send(decision);
  }

  private void onSecretChange(String name, SecretValue notified) {
    synchronized (this) {
      if (closed) {
        return;
      }
      // Re-read rather than trust the notified value: a later change may already be current.
      SecretValue value = source.current(name).orElse(notified);
      Secret secret = SecretCodec.encode(name, value);
      if (shouldPush(name, Versions.of(secret))) {
        emit(Map.of(name, secret), true);
      }
    }
  }

  private void send(RequestDecision decision) {
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (String name : decision.send()) {
      // A served name without a value yet is sent by the watch once it has one.
      source.current(name).map(value -> SecretCodec.encode(name, value))
          .filter(secret -> shouldSend(decision, name, Versions.of(secret)))
          .ifPresent(secret -> secrets.put(name, secret));
    }
    if (!secrets.isEmpty()) {
      emit(secrets, false);
    }
  }

  private void emit(Map<String, Secret> secrets, boolean push) {
    Map<String, String> versions = new LinkedHashMap<>();
    secrets.forEach((name, secret) -> versions.put(name, Versions.of(secret)));
    String nonce = nonces.next();
    out.onNext(respond(secrets, versions, nonce));
    sent.putAll(versions);
    lastSent = Map.copyOf(versions);
    metrics.response(push);
    log.debug("SDS sent {} to {} (nonce {}, push {})", versions, peer(), nonce, push);
  }

  private void fail(Status status) {
    metrics.rejected();
    close();
    out.onError(status.asRuntimeException());
  }

  /**
   * Whether this stream watches {@code name} and, if so, whether its client acknowledged
   * {@code version} of it: empty when the stream does not watch the name.
   */
  final synchronized Optional<Boolean> acknowledged(String name, String version) {
    if (closed || !watches.containsKey(name)) {
      return Optional.empty();
    }
    return Optional.of(version.equals(acked.get(name)));
  }

  @Override
  public final void onError(Throwable t) {
    log.debug("SDS stream from {} ended: {}", peer(), Status.fromThrowable(t));
    close();
  }

  @Override
  public final synchronized void onCompleted() {
    if (!closed) {
      close();
      out.onCompleted();
    }
  }

  private synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    watches.values().forEach(Subscription::close);
    watches.clear();
    metrics.streamClosed();
    onClose.accept(this);
  }
}
