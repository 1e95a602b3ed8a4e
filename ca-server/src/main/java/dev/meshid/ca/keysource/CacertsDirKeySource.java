package dev.meshid.ca.keysource;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.bundle.KeyCertBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio's plug-in CA files from a directory (a mounted {@code cacerts} secret, or files on disk), in either
 * form (PROTOCOLS.md §4).
 *
 * <p>The directory is polled on the injected scheduler: every poll reads the whole set (through a single
 * resolution of Kubernetes' {@code ..data} link, see {@link CacertsSnapshot}) and compares a fingerprint of
 * its content with the last one seen. Content that changed is verified as a whole by
 * {@link KeyCertBundle#fromPem}; a set that does not verify — e.g. half-copied, where the new certificate
 * does not match the old key — is refused through {@code onRejected} and counted, and the current bundle
 * stays. Content equal to the current or the last refused set is not looked at again.
 */
public final class CacertsDirKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(CacertsDirKeySource.class);

    private final Path dir;
    private final CacertsDirOptions options;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Delivery delivery;
    private ScheduledFuture<?> polling;

    public CacertsDirKeySource(Path dir, CacertsDirOptions options, Clock clock, ScheduledExecutorService scheduler) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.delivery = new Delivery(name());
    }

    @Override
    public String name() {
        return "cacerts-dir:" + dir;
    }

    @Override
    public synchronized void start(KeySourceListener listener) {
        delivery.attach(listener);
        long every = options.pollInterval().toMillis();
        polling = scheduler.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
    }

    /** How many new sets were refused since start. */
    public long rejectedCount() {
        return delivery.rejections();
    }

    private void poll() {
        try {
            Map<String, String> files;
            try {
                files = CacertsSnapshot.read(dir);
            } catch (CacertsSnapshot.OversizedException e) {
                delivery.reject("oversized:" + e.getMessage(), e.getMessage());
                return;
            } catch (IOException e) {
                // Typically a ..data swap in progress; the next poll sees a settled directory.
                LOG.debug("{}: cannot read the plug-in files now ({}); retrying at the next poll", name(), e.toString());
                return;
            }
            delivery.offer(PluginFiles.fingerprint(files), () -> load(files));
        } catch (RuntimeException e) {
            // Never let an exception cancel the periodic task.
            LOG.error("{}: unexpected failure while polling; retrying at the next poll", name(), e);
        }
    }

    private KeyCertBundle load(Map<String, String> files) throws PkiException {
        if (files.isEmpty()) {
            throw new PkiException("no plug-in CA files in " + dir + "; provide ca-cert.pem, ca-key.pem,"
                    + " root-cert.pem and cert-chain.pem (Istio form) or tls.crt, tls.key and ca.crt");
        }
        return KeyCertBundle.fromPem(files, clock);
    }

    @Override
    public synchronized void close() {
        delivery.close();
        if (polling != null) {
            polling.cancel(false);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
