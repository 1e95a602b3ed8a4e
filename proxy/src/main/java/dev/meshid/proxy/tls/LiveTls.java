package dev.meshid.proxy.tls;

import dev.meshid.sds.secret.SecretListener;
import dev.meshid.sds.secret.SecretNames;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's current credentials, fed by SDS ({@code default} and {@code ROOTCA}). Every push builds a
 * new {@link TlsSnapshot} and swaps it in with one atomic write; a new connection reads the newest
 * snapshot once, an open connection keeps the contexts it started with. A push that cannot be used is
 * logged and the previous snapshot stays. Readers never lock.
 */
public final class LiveTls implements SecretListener {
  private static final Logger log = LoggerFactory.getLogger(LiveTls.class);

  private final TlsSnapshotFactory factory;
  private final AtomicReference<TlsSnapshot> current = new AtomicReference<>();
  private final List<Consumer<TlsSnapshot>> listeners = new CopyOnWriteArrayList<>();
  // Written under this: the latest secrets, which may arrive one at a time.
  private TlsCertificate certificate;
  private TrustBundle bundle;
  private long versions;
  private long rejected;

  public LiveTls(TlsSnapshotFactory factory) {
    this.factory = factory;
  }

  /** The newest snapshot, or empty while no certificate and bundle have arrived (not ready). */
  public Optional<TlsSnapshot> current() {
    return Optional.ofNullable(current.get());
  }

  /** The newest snapshot or null; the data path's read, without allocation. */
  public TlsSnapshot currentOrNull() {
    return current.get();
  }

  /** True once both secrets have arrived and were usable. */
  public boolean ready() {
    return current.get() != null;
  }

  /** Called with every new snapshot, after it is in place. */
  public void addListener(Consumer<TlsSnapshot> listener) {
    listeners.add(listener);
  }

  /** Pushes that could not be used since start. */
  public synchronized long rejected() {
    return rejected;
  }

  @Override
  public void onChange(String name, SecretValue value) {
    TlsSnapshot built;
    synchronized (this) {
      if (name.equals(SecretNames.DEFAULT) && value instanceof TlsCertificate c) {
        certificate = c;
      } else if (name.equals(SecretNames.ROOTCA) && value instanceof TrustBundle b) {
        bundle = b;
      } else {
        log.warn("ignoring SDS secret {} of type {}", name, value.getClass().getSimpleName());
        return;
      }
      if (certificate == null || bundle == null) {
        return;
      }
      try {
        built = factory.build(certificate, bundle, ++versions);
      } catch (IllegalArgumentException e) {
        rejected++;
        log.error("SDS push of {} not applied, keeping the previous credentials: {}", name, e.getMessage());
        return;
      }
      current.set(built);
    }
    log.info("TLS credentials now {}", built);
    listeners.forEach(l -> l.accept(built));
  }
}
