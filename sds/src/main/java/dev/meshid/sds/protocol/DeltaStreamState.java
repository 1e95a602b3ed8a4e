package dev.meshid.sds.protocol;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The incremental (delta) xDS protocol for one DeltaSecrets stream, without any transport. Not
 * thread-safe; the stream serialises calls.
 *
 * <p>Differences from {@link SotwStreamState}, following the delta protocol: subscribe and
 * unsubscribe lists are changes, so they are always applied, even on a request with a stale nonce
 * (dropping them would lose them for good); the nonce only decides whether the request is an ACK,
 * a NACK or neither. On the first message {@code initial_resource_versions} tells which versions
 * the client already has (after a reconnect), and those are not sent again. A reconnecting client
 * that sends an old nonce on its first message is answered as a first request.
 */
public final class DeltaStreamState {

  private final Set<String> subscribed = new LinkedHashSet<>();
  // Versions the client is known to hold: sent by us, or declared in initial_resource_versions.
  private final Map<String, String> clientVersions = new HashMap<>();
  private boolean firstSeen;
  private String lastNonce;
  private Node node;

  /** Classifies {@code request} and applies its subscription changes. */
  public RequestDecision onRequest(DeltaDiscoveryRequest request) {
    if (node == null && request.hasNode()) {
      node = request.getNode();
    }
    RequestKind kind = classify(request);
    if (kind == RequestKind.INITIAL) {
      clientVersions.putAll(request.getInitialResourceVersionsMap());
    }
    Set<String> added = new LinkedHashSet<>();
    for (String name : request.getResourceNamesSubscribeList()) {
      if (subscribed.add(name)) {
        added.add(name);
      }
    }
    Set<String> removed = new LinkedHashSet<>();
    for (String name : request.getResourceNamesUnsubscribeList()) {
      if (subscribed.remove(name)) {
        removed.add(name);
        clientVersions.remove(name);
      }
    }
    added.removeAll(removed);
    String detail = kind == RequestKind.NACK ? request.getErrorDetail().getMessage() : "";
    return new RequestDecision(kind, added, added, removed, detail);
  }

  private RequestKind classify(DeltaDiscoveryRequest request) {
    String nonce = request.getResponseNonce();
    if (!firstSeen) {
      firstSeen = true;
      return RequestKind.INITIAL;
    }
    if (nonce.isEmpty() || lastNonce == null) {
      return RequestKind.SUBSCRIPTION_CHANGE;
    }
    if (!nonce.equals(lastNonce)) {
      return RequestKind.STALE;
    }
    return request.hasErrorDetail() ? RequestKind.NACK : RequestKind.ACK;
  }

  /** True if {@code name} is subscribed and the client does not hold {@code version} yet. */
  public boolean needsSend(String name, String version) {
    return subscribed.contains(name) && !version.equals(clientVersions.get(name));
  }

  /** Records a response that was sent: its nonce and the version of each resource in it. */
  public void recordSent(String nonce, Map<String, String> versionsByName) {
    lastNonce = nonce;
    clientVersions.putAll(versionsByName);
  }

  /** The names this stream currently watches. */
  public Set<String> subscribed() {
    return Set.copyOf(subscribed);
  }

  /** The node from the first message that carried one. */
  public Optional<Node> node() {
    return Optional.ofNullable(node);
  }
}
