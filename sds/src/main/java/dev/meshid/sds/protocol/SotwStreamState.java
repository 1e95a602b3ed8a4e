package dev.meshid.sds.protocol;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The xDS state-of-the-world protocol for one StreamSecrets stream, without any transport: it
 * classifies requests and remembers what was sent. Not thread-safe; the stream serialises calls.
 *
 * <p>Rules, after the xDS protocol and the behaviour of Envoy:
 * <ul>
 *   <li>No nonce, or no response sent yet on this stream: an initial request. The requested names
 *       replace the subscription and all of them are answered. A client that reconnects and sends
 *       the nonce of its previous stream is treated this way (the bug SPIRE fixed in #813: waiting
 *       for a matching nonce on a fresh stream leaves the client without secrets).
 *   <li>The nonce of the last response: an ACK, or a NACK if error_detail is set. Neither is
 *       answered, except that names added to the list are answered with just those resources
 *       (SDS is not a full-state type, so a partial response is allowed). Names dropped from the
 *       list are unsubscribed; an empty list unsubscribes from everything.
 *   <li>Any other nonce: stale, ignored entirely. The client will repeat its subscription when it
 *       acknowledges the newer response.
 * </ul>
 * {@code node} is only required on the first message (Envoy's set_node_on_first_message_only).
 */
public final class SotwStreamState {

  private final Set<String> subscribed = new LinkedHashSet<>();
  private final Map<String, String> sentVersions = new HashMap<>();
  private String lastNonce;
  private Node node;

  /** Classifies {@code request} and updates the subscription. */
  public RequestDecision onRequest(DiscoveryRequest request) {
    if (node == null && request.hasNode()) {
      node = request.getNode();
    }
    Set<String> requested = new LinkedHashSet<>(request.getResourceNamesList());
    String nonce = request.getResponseNonce();
    if (nonce.isEmpty() || lastNonce == null) {
      Set<String> added = difference(requested, subscribed);
      Set<String> removed = replaceSubscription(requested);
      return new RequestDecision(RequestKind.INITIAL, requested, added, removed, "");
    }
    if (!nonce.equals(lastNonce)) {
      return RequestDecision.ignore(RequestKind.STALE);
    }
    Set<String> added = difference(requested, subscribed);
    Set<String> removed = replaceSubscription(requested);
    if (request.hasErrorDetail()) {
      return new RequestDecision(
          RequestKind.NACK, added, added, removed, request.getErrorDetail().getMessage());
    }
    return new RequestDecision(RequestKind.ACK, added, added, removed, "");
  }

  /**
   * True if a push of {@code name} at {@code version} should go to this stream: it is subscribed and
   * the stream has not been sent that version yet.
   */
  public boolean needsPush(String name, String version) {
    return subscribed.contains(name) && !version.equals(sentVersions.get(name));
  }

  /** Records a response that was sent: its nonce and the version of each resource in it. */
  public void recordSent(String nonce, Map<String, String> versionsByName) {
    lastNonce = nonce;
    sentVersions.putAll(versionsByName);
  }

  /** The names this stream currently watches. */
  public Set<String> subscribed() {
    return Set.copyOf(subscribed);
  }

  /** The node from the first message that carried one. */
  public Optional<Node> node() {
    return Optional.ofNullable(node);
  }

  /** The nonce of the last response, if any was sent. */
  public Optional<String> lastNonce() {
    return Optional.ofNullable(lastNonce);
  }

  private Set<String> replaceSubscription(Set<String> requested) {
    Set<String> removed = difference(subscribed, requested);
    subscribed.clear();
    subscribed.addAll(requested);
    // Forget what was sent for dropped names so a later re-subscription is answered again.
    sentVersions.keySet().removeAll(removed);
    return removed;
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> result = new LinkedHashSet<>(a);
    result.removeAll(b);
    return result;
  }
}
