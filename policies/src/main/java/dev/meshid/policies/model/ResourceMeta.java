package dev.meshid.policies.model;

import dev.meshid.policies.PolicyRef;
import java.time.Instant;
import java.util.Objects;

/**
 * The metadata meshid uses from a resource.
 *
 * @param kind the Kubernetes kind
 * @param namespace the namespace
 * @param name the name
 * @param creationTimestamp when the resource was created, or null when unknown (files); unknown
 *     sorts as the oldest, as Kubernetes' zero time does
 * @param origin where it came from (a file name, or {@code kubernetes}), for messages
 */
public record ResourceMeta(String kind, String namespace, String name, Instant creationTimestamp, String origin) {
  public ResourceMeta {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    origin = origin == null ? "" : origin;
  }

  /** This resource as a {@link PolicyRef}. */
  public PolicyRef ref() {
    return new PolicyRef(kind, namespace, name);
  }

  /** Orders resources oldest first, then by name: how Istio picks one of several at a level. */
  public static int oldestFirst(ResourceMeta a, ResourceMeta b) {
    Instant ta = a.creationTimestamp == null ? Instant.EPOCH : a.creationTimestamp;
    Instant tb = b.creationTimestamp == null ? Instant.EPOCH : b.creationTimestamp;
    int c = ta.compareTo(tb);
    return c != 0 ? c : a.name.compareTo(b.name);
  }
}
