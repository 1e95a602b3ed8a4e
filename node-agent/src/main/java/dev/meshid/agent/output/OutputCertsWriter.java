package dev.meshid.agent.output;

import dev.meshid.agent.ca.IssuedCertificate;
import dev.meshid.agent.cache.CertificateListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
 * <p>A failed write (read-only or full disk) is logged, counted and kept as {@link #lastError()}; it does not
 * stop the agent, and SDS keeps serving. The next certificate tries again.
 */
public final class OutputCertsWriter implements CertificateListener {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCertsWriter.class);
    static final Set<PosixFilePermission> KEY_PERMS = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> CERT_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final boolean pkcs8Key;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastWrite;

    public OutputCertsWriter(Path dir, boolean pkcs8Key, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.pkcs8Key = pkcs8Key;
        this.clock = Objects.requireNonNull(clock, "clock");
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
    public boolean write(IssuedCertificate certificate) {
        List<AtomicFiles.Staged> staged = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            AtomicFiles.stage(dir.resolve("root-cert.pem"), certificate.rootsPem(), CERT_PERMS).ifPresent(staged::add);
            AtomicFiles.stage(dir.resolve("key.pem"), certificate.keyPem(pkcs8Key), KEY_PERMS).ifPresent(staged::add);
            AtomicFiles.stage(dir.resolve("cert-chain.pem"), certificate.chainPem(), CERT_PERMS).ifPresent(staged::add);
            for (AtomicFiles.Staged file : staged) {
                file.commit();
            }
            AtomicFiles.sync(dir);
            writes.addAndGet(staged.size());
            lastWrite = clock.instant();
            lastError = null;
            return true;
        } catch (IOException | RuntimeException e) {
            staged.forEach(AtomicFiles.Staged::discard);
            failures.incrementAndGet();
            lastError = "cannot write the certificate files to " + dir + ": " + e;
            LOG.error("{}; SDS keeps serving the new certificate, the files stay as they were", lastError);
            return false;
        }
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
