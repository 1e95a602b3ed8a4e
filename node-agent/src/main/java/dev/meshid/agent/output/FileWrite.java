package dev.meshid.agent.output;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The one file operation {@link OutputCertsWriter} needs. Production uses {@link #ATOMIC}; the seam lets a test fail
 * it exactly as a full or read-only file system does where the test cannot mount one.
 */
@FunctionalInterface
public interface FileWrite {
    /** {@link AtomicFiles#stage}. */
    FileWrite ATOMIC = AtomicFiles::stage;

    /**
     * Writes {@code content} beside {@code target}, to be renamed over it when every file of a set is staged;
     * empty if {@code target} already holds exactly that.
     */
    Optional<AtomicFiles.Staged> stage(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException;
}
