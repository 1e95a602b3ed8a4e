package dev.meshid.policies;

import java.util.Objects;

/**
 * Names one policy resource, for decisions and access logs.
 *
 * @param kind the Kubernetes kind, e.g. {@code AuthorizationPolicy}
 * @param namespace the resource's namespace
 * @param name the resource's name
 */
public record PolicyRef(String kind, String namespace, String name) {
  public PolicyRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** {@code namespace/name}, as kubectl prints it. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return kind + " " + qualifiedName();
  }
}
