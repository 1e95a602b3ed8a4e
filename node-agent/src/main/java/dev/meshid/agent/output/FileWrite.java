package dev.meshid.agent.output;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The one file operation {@link OutputCertsWriter} needs. Production uses {@link #ATOMIC}; the seam lets a test fail
 * it exactly as a full or read-only file system does where the test cannot mount one.
 */
@FunctionalInterface
public interface FileWrite {
    /** {@link AtomicFiles#writeIfChanged}. */
    FileWrite ATOMIC = AtomicFiles::writeIfChanged;

    /**
     * Replaces {@code target} with {@code content} unless it already holds exactly that.
     *
     * @return true if the file was written
     */
    boolean writeIfChanged(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException;
}
