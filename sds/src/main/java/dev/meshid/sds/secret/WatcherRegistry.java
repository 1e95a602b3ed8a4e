package dev.meshid.sds.secret;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners per secret name, shared by the source implementations. Thread-safe; a listener that
 * throws is logged and does not stop the others.
 */
final class WatcherRegistry {

  private static final Logger log = LoggerFactory.getLogger(WatcherRegistry.class);

  private final Map<String, List<SecretListener>> listeners = new ConcurrentHashMap<>();

  Subscription add(String name, SecretListener listener) {
    listeners.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(listener);
    return () -> listeners.computeIfPresent(name, (n, list) -> {
      list.remove(listener);
      return list.isEmpty() ? null : list;
    });
  }

  void notify(String name, SecretValue value) {
    for (SecretListener listener : listeners.getOrDefault(name, List.of())) {
      try {
        listener.onChange(name, value);
      } catch (RuntimeException e) {
        log.warn("secret listener for {} failed", name, e);
      }
    }
  }

  int count(String name) {
    return listeners.getOrDefault(name, List.of()).size();
  }
}
