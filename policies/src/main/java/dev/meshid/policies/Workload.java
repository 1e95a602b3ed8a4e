package dev.meshid.policies;

import java.util.Map;
import java.util.Objects;

/**
 * Where a workload sits for policy selection: its namespace and its pod labels.
 *
 * @param namespace the workload's namespace
 * @param labels the workload's labels, matched against {@code selector.matchLabels}
 */
public record Workload(String namespace, Map<String, String> labels) {
  public Workload {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
    labels = Map.copyOf(labels);
  }

  /** A workload with no labels. */
  public static Workload of(String namespace) {
    return new Workload(namespace, Map.of());
  }

  /** True when every label of {@code matchLabels} is on this workload with the same value. */
  public boolean matches(Map<String, String> matchLabels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
