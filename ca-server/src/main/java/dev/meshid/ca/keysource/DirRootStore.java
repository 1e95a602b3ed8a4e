package dev.meshid.ca.keysource;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RootStore} in a local directory: the key file is created owner-only (0600) before anything is
 * written to it, and every file is written to a temporary name and renamed into place, the key first and the
 * certificate last, so a reader sees either no root or a whole one. Meant for one process (a laptop, a
 * single replica); replicas share a root through {@link SecretRootStore}.
 */
public final class DirRootStore implements RootStore {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final RootLayout layout;

    public DirRootStore(Path dir, RootLayout layout) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    @Override
    public String describe() {
        return "dir:" + dir;
    }

    @Override
    public RootLayout layout() {
        return layout;
    }

    @Override
    public Optional<Map<String, String>> read() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : allNames()) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                files.put(name, Files.readString(p, StandardCharsets.US_ASCII));
            }
        }
        // The certificate is written last: without it nothing was stored (a crash mid-write included).
        String commit = layout.fileNames().get(layout.fileNames().size() - 1);
        return files.containsKey(commit) ? Optional.of(files) : Optional.empty();
    }

    @Override
    public synchronized Map<String, String> createIfAbsent(Map<String, String> files) throws IOException {
        Optional<Map<String, String>> existing = read();
        if (existing.isPresent()) {
            return existing.get();
        }
        write(files);
        return files;
    }

    @Override
    public synchronized Map<String, String> replace(Map<String, String> expected, Map<String, String> next)
            throws IOException {
        Optional<Map<String, String>> existing = read();
        if (existing.isPresent() && !existing.get().equals(expected)) {
            return existing.get();
        }
        write(next);
        return next;
    }

    private List<String> allNames() {
        List<String> names = new ArrayList<>(layout.optionalNames());
        names.addAll(layout.fileNames());
        return names;
    }

    /**
     * The next root (optional) goes first and the certificate last; a next root that is no longer part of the
     * content is removed after the commit, and a reader ignores a stale one that is already the current root.
     */
    private void write(Map<String, String> files) throws IOException {
        PrivateDirectory.create(dir);
        for (String name : allNames()) {
            String content = files.get(name);
            if (content == null) {
                if (layout.optionalNames().contains(name)) {
                    continue;
                }
                throw new IllegalArgumentException("no content for " + name + " in the " + layout + " layout");
            }
            boolean key = name.equals(layout.keyFile()) || name.equals(layout.nextKeyFile());
            Path tmp = dir.resolve("." + name + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, perms(key ? OWNER_ONLY : READABLE));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException raced) {
                throw new IOException(dir + " is being written by another process; retrying later", raced);
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (String name : layout.optionalNames()) {
            if (!files.containsKey(name)) {
                Files.deleteIfExists(dir.resolve(name));
            }
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> perms(Set<PosixFilePermission> p) {
        return PosixFilePermissions.asFileAttribute(p);
    }

    @Override
    public String toString() {
        return describe();
    }
}
