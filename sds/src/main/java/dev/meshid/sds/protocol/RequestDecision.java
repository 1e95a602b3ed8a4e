package dev.meshid.sds.protocol;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a stream state decided about one request.
 *
 * @param kind how the request was classified
 * @param send names whose current values must be sent now (empty: send nothing)
 * @param added names the stream now watches that it did not before
 * @param removed names the stream no longer watches
 * @param errorDetail the client's error message for a NACK, else empty
 */
public record RequestDecision(
    RequestKind kind, Set<String> send, Set<String> added, Set<String> removed, String errorDetail) {

  /** Copies the sets, keeping the client's order (responses list resources in request order). */
  public RequestDecision {
    send = ordered(send);
    added = ordered(added);
    removed = ordered(removed);
    errorDetail = errorDetail == null ? "" : errorDetail;
  }

  private static Set<String> ordered(Set<String> names) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(names));
  }

  static RequestDecision ignore(RequestKind kind) {
    return new RequestDecision(kind, Set.of(), Set.of(), Set.of(), "");
  }
}
