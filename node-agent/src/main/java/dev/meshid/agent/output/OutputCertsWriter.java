package dev.meshid.agent.output;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.CertificateListener;
import dev.meshid.pki.pem.PrivateDirectory;
import dev.meshid.sds.Scheduler;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each new certificate to the {@code OUTPUT_CERTS} directory as Istio's agent does: {@code key.pem}
 * (0600), {@code cert-chain.pem} (leaf and intermediates), {@code root-cert.pem} (the roots), each replaced
 * atomically and only when its content changed. The key is written before the chain, so a reader that sees
 * a new {@code cert-chain.pem} already finds its key.
 *
 * <p>A failed write (read-only or full disk) is counted and kept as {@link #lastError()}; it does not stop the
 * agent, and SDS keeps serving. It is logged once when writing starts to fail (or fails for another reason) and once
 * when it works again, not at every retry. Once {@link #retryEvery} is set, the certificate that could not be
 * written is tried again at that interval until a write succeeds or a newer certificate replaces it.
 */
public final class OutputCertsWriter implements CertificateListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCertsWriter.class);
    static final Set<PosixFilePermission> KEY_PERMS = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> CERT_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final boolean pkcs8Key;
    private final Clock clock;
    private final FileWrite files;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastWrite;
    private String failingFor;
    private IssuedCertificate unwritten;
    private Scheduler retryScheduler;
    private Duration retryInterval;
    private Scheduler.Cancellable retry;

    public OutputCertsWriter(Path dir, boolean pkcs8Key, Clock clock) {
        this(dir, pkcs8Key, clock, FileWrite.ATOMIC);
    }

    /** A writer whose file writes go through {@code files}. */
    public OutputCertsWriter(Path dir, boolean pkcs8Key, Clock clock, FileWrite files) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.pkcs8Key = pkcs8Key;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.files = Objects.requireNonNull(files, "files");
    }

    /** Tries an unwritten certificate again every {@code interval} on {@code scheduler} until a write succeeds. */
    public synchronized void retryEvery(Scheduler scheduler, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the OUTPUT_CERTS retry interval must be positive, got " + interval);
        }
        this.retryScheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.retryInterval = interval;
        planRetry();
    }

    @Override
    public void onCertificate(IssuedCertificate certificate, boolean rootsChanged) {
        write(certificate);
    }

    /**
     * Writes the three files; returns false (and records why) if any write failed. Every changed file is staged
     * (written and fsynced) before any is renamed into place, so the renames follow each other within
     * microseconds: a reader that opens {@code cert-chain.pem} and {@code key.pem} one after the other (curl,
     * openssl) has only that instant, not a disk flush, in which to see a new key with an old chain.
     */
    public synchronized boolean write(IssuedCertificate certificate) {
        List<AtomicFiles.Staged> staged = new ArrayList<>();
        try {
            PrivateDirectory.create(dir);
            files.stage(dir.resolve("root-cert.pem"), certificate.rootsPem(), CERT_PERMS).ifPresent(staged::add);
            files.stage(dir.resolve("key.pem"), certificate.keyPem(pkcs8Key), KEY_PERMS).ifPresent(staged::add);
            files.stage(dir.resolve("cert-chain.pem"), certificate.chainPem(), CERT_PERMS).ifPresent(staged::add);
            for (AtomicFiles.Staged file : staged) {
                file.commit();
            }
            AtomicFiles.sync(dir);
            writes.addAndGet(staged.size());
            lastWrite = clock.instant();
            lastError = null;
            unwritten = null;
            if (failingFor != null) {
                LOG.info("OUTPUT_CERTS {} is writable again: the current certificate files are written ({} failed "
                        + "attempts so far)", dir, failures.get());
                failingFor = null;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            staged.forEach(AtomicFiles.Staged::discard);
            failures.incrementAndGet();
            lastError = "cannot write the certificate files to " + dir + ": " + e;
            unwritten = certificate;
            String reason = reason(e);
            if (!reason.equals(failingFor)) {
                LOG.error("{}; SDS keeps serving the new certificate, the files stay as they were{}", lastError,
                        retryInterval == null ? "" : "; retrying every " + retryInterval + " (logged again only "
                                + "when the reason changes or writing works again)");
                failingFor = reason;
            } else {
                LOG.debug("OUTPUT_CERTS still not writable: {}", lastError);
            }
            planRetry();
            return false;
        }
    }

    /** The cause of a failure without the varying file names, so a repeat of the same failure is not logged again. */
    private static String reason(Exception e) {
        String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        return e.getClass().getName() + ": " + why;
    }

    private void planRetry() {
        if (retryScheduler == null || unwritten == null || retry != null) {
            return;
        }
        retry = retryScheduler.schedule(retryInterval, () -> {
            IssuedCertificate again;
            synchronized (this) {
                retry = null;
                again = unwritten;
            }
            if (again != null) {
                write(again);
            }
        });
    }

    /** Whether the last write failed (the files are older than the certificate served over SDS). */
    public boolean failing() {
        return lastError != null;
    }

    /** Stops retrying. */
    @Override
    public synchronized void close() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        retryScheduler = null;
    }

    /** The directory written to. */
    public Path directory() {
        return dir;
    }

    /** Why the last write failed, or empty if it succeeded (or none was made yet). */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Failed write attempts so far. */
    public long failures() {
        return failures.get();
    }

    /** Files actually replaced so far. */
    public long filesWritten() {
        return writes.get();
    }

    /** When the last successful write happened. */
    public Optional<Instant> lastWrite() {
        return Optional.ofNullable(lastWrite);
    }
}
