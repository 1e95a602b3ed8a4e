package dev.meshid.pki.pem;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Directories that hold private keys. One meshid creates is owner-only (0700) from the moment it exists, so
 * no other user can list or open what is written into it; parents it also has to create, and a directory that
 * already exists, keep the permissions they have (the operator chose them).
 */
public final class PrivateDirectory {
    private PrivateDirectory() {
    }

    /** Creates {@code dir} (0700) and any missing parents, unless it exists already; returns {@code dir}. */
    public static Path create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // Another process made it at the same moment: use theirs.
        }
        return dir;
    }
}
