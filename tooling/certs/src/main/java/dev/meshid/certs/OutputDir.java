package dev.meshid.certs;

import dev.meshid.pki.pem.PrivateDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory a command writes into. Private keys are created 0600 from the first byte (never widened
 * later), everything else 0644. Each file is written to a temporary name and moved into place, so an
 * interrupted run never leaves a half-written PEM file behind for make to mistake for a finished target.
 */
final class OutputDir {
    private static final Set<PosixFilePermission> KEY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final boolean force;

    OutputDir(Path dir, boolean force) {
        this.dir = dir;
        this.force = force;
    }

    Path path() {
        return dir;
    }

    /**
     * Fails before any work is done if a private key would be overwritten without {@code --force}: a key
     * that already exists may be the only copy of a CA key in use.
     */
    void refuseToOverwriteKey(String keyFile) throws CertsFailure {
        Path p = dir.resolve(keyFile);
        if (!force && Files.exists(p)) {
            throw new CertsFailure(p + " already exists; refusing to overwrite a private key"
                    + " (move it away, or pass --force to replace it)");
        }
    }

    /** Creates the directory (and its parents) if needed. */
    void create() throws CertsFailure {
        try {
            PrivateDirectory.create(dir);
        } catch (FileAlreadyExistsException e) {
            throw new CertsFailure(dir + " exists and is not a directory; --out needs a directory");
        } catch (IOException e) {
            throw new CertsFailure("cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** Writes a private key, mode 0600. */
    Path writeKey(String name, String pem) throws CertsFailure {
        return write(name, pem, KEY);
    }

    /** Writes a certificate or bundle, mode 0644. */
    Path writePublic(String name, String pem) throws CertsFailure {
        return write(name, pem, PUBLIC);
    }

    private Path write(String name, String text, Set<PosixFilePermission> mode) throws CertsFailure {
        Path target = dir.resolve(name);
        Path tmp = null;
        try {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(mode);
            tmp = Files.createTempFile(dir, "." + name + ".", ".tmp", attr);
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            // The umask may have narrowed the mode of the temporary file; set exactly what was asked.
            Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(tmp);
            throw new CertsFailure("cannot write " + target + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // Best effort: the original error is the one worth reporting.
            }
        }
    }
}
