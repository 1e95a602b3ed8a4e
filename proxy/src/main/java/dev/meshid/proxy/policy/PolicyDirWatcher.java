package dev.meshid.proxy.policy;

import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.yaml.PolicyYamlLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a policy directory by content: every interval it hashes the YAML files, and when the hash changes
 * it loads and compiles them and applies the result. An invalid change is logged with the loader's message
 * (file, resource, field) and the last good set stays in force. Polling, not a WatchService: it sees files
 * replaced through symlinks (Kubernetes ConfigMap mounts) and costs a few small reads per interval.
 */
public final class PolicyDirWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PolicyDirWatcher.class);

  private final Path dir;
  private final String rootNamespace;
  private LivePolicies target;
  private final PolicyYamlLoader loader = new PolicyYamlLoader();
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile String lastError;
  private byte[] lastHash;
  private ScheduledFuture<?> task;

  public PolicyDirWatcher(Path dir, String rootNamespace) {
    this.dir = dir;
    this.rootNamespace = rootNamespace;
  }

  /**
   * Loads the directory now.
   *
   * @throws PolicyLoadException when the initial policies are invalid (the proxy must not start)
   */
  public synchronized PolicySet loadInitial() {
    byte[] hash = hash();
    PolicySet set = loader.loadPolicySet(dir, rootNamespace);
    lastHash = hash;
    applied.incrementAndGet();
    return set;
  }

  /**
   * Applies changes to {@code target}, checking every {@code interval} on {@code scheduler} (owned by the
   * caller).
   */
  public synchronized void start(LivePolicies target, ScheduledExecutorService scheduler, Duration interval) {
    this.target = target;
    long ms = Math.max(1, interval.toMillis());
    task = scheduler.scheduleWithFixedDelay(this::checkNow, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One check; applies a changed, valid directory. Returns true if a new set was applied. */
  public synchronized boolean checkNow() {
    byte[] hash;
    try {
      hash = hash();
    } catch (UncheckedIOException e) {
      log.warn("cannot read policy directory {}: {}", dir, e.getMessage());
      return false;
    }
    if (target == null || Arrays.equals(hash, lastHash)) {
      return false;
    }
    lastHash = hash;
    try {
      PolicySet set = loader.loadPolicySet(dir, rootNamespace);
      target.apply(set);
      applied.incrementAndGet();
      lastError = null;
      log.info("policies reloaded from {}: {}", dir, set);
      return true;
    } catch (PolicyLoadException | UncheckedIOException e) {
      rejected.incrementAndGet();
      lastError = e.getMessage();
      log.error("policy change in {} rejected, keeping the last good policies: {}", dir, e.getMessage());
      return false;
    }
  }

  /** Sets applied, the initial one included. */
  public long applied() {
    return applied.get();
  }

  /** Changes rejected as invalid. */
  public long rejected() {
    return rejected.get();
  }

  /** The message of the last rejected change, or null if the newest change was applied. */
  public String lastError() {
    return lastError;
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private byte[] hash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      List<Path> files;
      try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.of(dir)) {
        files = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
      }
      for (Path f : files) {
        if (Files.isRegularFile(f)) {
          md.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          md.update((byte) 0);
          md.update(Files.readAllBytes(f));
          md.update((byte) 0);
        }
      }
      return md.digest();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
