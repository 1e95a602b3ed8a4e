package dev.meshid.agent.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces a file so that a reader sees either the old or the new content, never a mix: write a temporary
 * file in the same directory (same file system, so the rename is atomic), give it its final permissions before
 * any byte is written, fsync it, rename it over the target, fsync the directory.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to {@code target} atomically unless the file already holds exactly that.
     *
     * @return true if the file was written, false if it already had this content
     */
    public static boolean writeIfChanged(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        Optional<Staged> staged = stage(target, content, permissions);
        if (staged.isEmpty()) {
            return false;
        }
        staged.get().commit();
        syncDirectory(target.toAbsolutePath().getParent());
        return true;
    }

    /**
     * Writes and fsyncs {@code content} to a temporary file beside {@code target}, to be renamed over it by
     * {@link Staged#commit()}; empty if the target already holds exactly that. Staging several files first and
     * committing them together leaves only the renames between a reader and a mixed set.
     */
    public static Optional<Staged> stage(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        try {
            if (Arrays.equals(Files.readAllBytes(target), content)) {
                return Optional.empty();
            }
        } catch (NoSuchFileException e) {
            // first write
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(permissions));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return Optional.of(new Staged(tmp, target));
    }

    /** A written temporary file waiting to replace its target; {@link #discard()} it if it is not committed. */
    public record Staged(Path tmp, Path target) {
        /** Renames the temporary file over the target, atomically. */
        public void commit() throws IOException {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                discard();
                throw new IOException("the file system of " + target.getParent() + " cannot rename atomically", e);
            }
        }

        /** Removes the temporary file, if still there. */
        public void discard() {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a leftover hidden .tmp file is harmless
            }
        }
    }

    /** Flushes the directory entry changes (the renames) to disk. */
    public static void sync(Path dir) {
        syncDirectory(dir);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a directory; the rename is still atomic, only less durable.
        }
    }
}
