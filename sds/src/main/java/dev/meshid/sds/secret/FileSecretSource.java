package dev.meshid.sds.secret;

import dev.meshid.sds.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code file-cert:<cert>~<key>} and {@code file-root:<path>} from disk and follows changes
 * by polling the watched files (robust across the atomic symlink swaps Kubernetes uses for mounted
 * secrets, which file-event APIs report poorly).
 *
 * <p>Polling runs through an injected {@link Scheduler}; tests call {@link #poll()} directly. A file
 * that cannot be read or parsed during a poll (for example half written) keeps the previous value
 * and is retried at the next poll. Requests for files outside the allowed directories are refused,
 * since any local client of the SDS socket could otherwise read any PEM key the agent can read.
 */
public final class FileSecretSource implements SecretSource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FileSecretSource.class);

  private final List<Path> allowedDirectories;
  private final Map<String, SecretValue> values = new ConcurrentHashMap<>();
  private final WatcherRegistry watchers = new WatcherRegistry();
  private final Object pollLock = new Object();
  private volatile Scheduler.Cancellable nextPoll;
  private volatile boolean closed;

  /**
   * @param allowedDirectories files must lie under one of these; an empty list allows any path
   *     (Istio's behaviour, acceptable only when the socket is private to the workload)
   */
  public FileSecretSource(List<Path> allowedDirectories) {
    this.allowedDirectories = allowedDirectories.stream()
        .map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /** Polls every {@code interval} on {@code scheduler} until {@link #close()}. */
  public void start(Scheduler scheduler, Duration interval) {
    Objects.requireNonNull(scheduler, "scheduler");
    if (closed) {
      return;
    }
    nextPoll = scheduler.schedule(interval, () -> {
      poll();
      start(scheduler, interval);
    });
  }

  /**
   * Re-reads every file asked for so far (watched or not, so a later subscriber never gets a stale
   * value) and notifies the watchers of each value that changed.
   */
  public void poll() {
    // Notifications are made under this lock only to keep them in order; SDS streams never call
    // into this source while holding it, so no lock-order cycle can form.
    synchronized (pollLock) {
      for (String name : List.copyOf(values.keySet())) {
        try {
          SecretValue fresh = load(FileSecretName.parse(name));
          if (!fresh.equals(values.put(name, fresh))) {
            log.info("SDS file secret {} changed", name);
            watchers.notify(name, fresh);
          }
        } catch (IOException | IllegalArgumentException e) {
          log.warn("SDS file secret {} unreadable, keeping the last value: {}", name, e.getMessage());
        }
      }
    }
  }

  @Override
  public void checkServes(String name) {
    try {
      FileSecretName file = FileSecretName.parse(name);
      checkAllowed(file.certPath());
      file.keyPath().ifPresent(this::checkAllowed);
      values.computeIfAbsent(name, n -> loadUnchecked(file));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UnknownSecretException(name, "cannot serve '" + name + "': " + e.getMessage());
    }
  }

  @Override
  public Optional<SecretValue> current(String name) {
    return Optional.ofNullable(values.get(name));
  }

  @Override
  public Subscription watch(String name, SecretListener listener) {
    return watchers.add(name, listener);
  }

  @Override
  public List<String> advertisedNames() {
    return List.of("file-cert:<cert-path>~<key-path>", "file-root:<path>");
  }

  /** Stops polling. */
  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable poll = nextPoll;
    if (poll != null) {
      poll.cancel();
    }
  }

  private void checkAllowed(Path path) {
    Path normal = path.normalize();
    if (!allowedDirectories.isEmpty() && allowedDirectories.stream().noneMatch(normal::startsWith)) {
      throw new IllegalArgumentException(path + " is outside the allowed directories " + allowedDirectories);
    }
  }

  private SecretValue loadUnchecked(FileSecretName file) {
    try {
      return load(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + e.getMessage(), e);
    }
  }

  private static SecretValue load(FileSecretName file) throws IOException {
    byte[] cert = Files.readAllBytes(file.certPath());
    if (file.keyPath().isEmpty()) {
      return new TrustBundle(cert);
    }
    return new TlsCertificate(cert, Files.readAllBytes(file.keyPath().get()));
  }
}
