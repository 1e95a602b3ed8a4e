package dev.meshid.policies.yaml;

import java.util.List;
import java.util.Map;

/** Workload selectors: {@code selector.matchLabels} (security) and {@code workloadSelector.labels}. */
final class Selectors {
  private Selectors() {}

  static Map<String, String> matchLabels(Node selector) {
    selector.object(List.of("matchLabels"));
    return selector.field("matchLabels").stringMap();
  }

  static Map<String, String> labels(Node workloadSelector) {
    workloadSelector.object(List.of("labels"));
    return workloadSelector.field("labels").stringMap();
  }
}
