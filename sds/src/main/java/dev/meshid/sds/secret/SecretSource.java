package dev.meshid.sds.secret;

import java.util.List;
import java.util.Optional;

/**
 * What the SDS server needs from whoever holds the secrets (the node agent's cache, the file
 * watcher, or an {@link InMemorySecretSource} in tests). Declared here, by the consumer, so the
 * server never sees how secrets are obtained.
 *
 * <p>Implementations must be thread-safe. Listeners may be called on any thread, must not be called
 * while a lock that {@link #current} needs is held, and must see values in the order they changed.
 */
public interface SecretSource {

  /**
   * Checks that this source serves {@code name}, now or later. A served name whose value is not
   * available yet (for example {@code default} before the first certificate is issued) passes.
   *
   * @throws UnknownSecretException with a message fit for the client if the name is not served
   */
  void checkServes(String name);

  /** The current value of {@code name}, or empty while it is not available yet. */
  Optional<SecretValue> current(String name);

  /**
   * Calls {@code listener} every time the value of {@code name} changes, until the returned
   * subscription is closed. The current value is not replayed: call {@link #current} after watching.
   */
  Subscription watch(String name, SecretListener listener);

  /** Names or name patterns this source serves, used only to explain errors to clients. */
  default List<String> advertisedNames() {
    return List.of();
  }
}
