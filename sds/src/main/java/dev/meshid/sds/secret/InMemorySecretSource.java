package dev.meshid.sds.secret;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe {@link SecretSource} that serves a fixed set of names from memory. The node agent
 * puts each newly issued certificate here; tests use it to drive pushes.
 *
 * <p>Values are replaced in one step; readers never lock. Putting a value equal to the current one
 * notifies nobody, so SDS streams are not woken for nothing.
 */
public final class InMemorySecretSource implements SecretSource {

  private final Set<String> served;
  private final Map<String, SecretValue> values = new ConcurrentHashMap<>();
  private final WatcherRegistry watchers = new WatcherRegistry();
  // Serialises writers so listeners see changes in the order they happened.
  private final Object writeLock = new Object();

  /** Serves exactly {@code names}; none has a value until {@link #put} is called. */
  public InMemorySecretSource(Set<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("an in-memory secret source needs at least one name");
    }
    this.served = Set.copyOf(names);
  }

  /** Serves {@link SecretNames#DEFAULT} and {@link SecretNames#ROOTCA}, as Istio's agent does. */
  public static InMemorySecretSource forWorkload() {
    return new InMemorySecretSource(Set.of(SecretNames.DEFAULT, SecretNames.ROOTCA));
  }

  /**
   * Makes {@code value} the current value of {@code name} and notifies its watchers.
   *
   * @return true if the value changed
   * @throws IllegalArgumentException if {@code name} is not served by this source
   */
  public boolean put(String name, SecretValue value) {
    Objects.requireNonNull(value, "value");
    if (!served.contains(name)) {
      throw new IllegalArgumentException("not a served name: " + name + "; served: " + served);
    }
    synchronized (writeLock) {
      if (value.equals(values.put(name, value))) {
        return false;
      }
      watchers.notify(name, value);
      return true;
    }
  }

  /** Shorthand for {@code put(SecretNames.DEFAULT, certificate)}. */
  public boolean putCertificate(TlsCertificate certificate) {
    return put(SecretNames.DEFAULT, certificate);
  }

  /** Shorthand for {@code put(SecretNames.ROOTCA, bundle)}. */
  public boolean putTrustBundle(TrustBundle bundle) {
    return put(SecretNames.ROOTCA, bundle);
  }

  @Override
  public void checkServes(String name) {
    if (!served.contains(name)) {
      throw new UnknownSecretException(name, "unknown secret '" + name + "'");
    }
  }

  @Override
  public Optional<SecretValue> current(String name) {
    return Optional.ofNullable(values.get(name));
  }

  @Override
  public Subscription watch(String name, SecretListener listener) {
    return watchers.add(name, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public List<String> advertisedNames() {
    return served.stream().sorted().toList();
  }

  /** How many listeners watch {@code name}; lets tests check that closed streams unsubscribe. */
  public int watcherCount(String name) {
    return watchers.count(name);
  }
}
