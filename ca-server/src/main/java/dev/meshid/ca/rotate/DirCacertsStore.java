package dev.meshid.ca.rotate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A {@code cacerts} directory, written the way Kubernetes updates a secret volume: the new set goes into a
 * fresh hidden directory, then the {@code ..data} link is renamed over in one step and each file name links
 * through it. The CA resolves {@code ..data} once per read, so it sees the old set or the new one, never a mix.
 * A directory of plain files is converted to that layout on the first write (the files become links).
 */
public final class DirCacertsStore implements CacertsStore {
    static final String DATA = "..data";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Clock clock;

    public DirCacertsStore(Path dir, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String describe() {
        return "dir:" + dir;
    }

    @Override
    public Map<String, String> read() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory; pass the CA's cacerts directory");
        }
        Path base = Files.isSymbolicLink(dir.resolve(DATA)) ? dir.resolve(DATA).toRealPath() : dir;
        Map<String, String> files = new TreeMap<>();
        for (String name : dev.meshid.pki.bundle.PluginForm.allFileNames()) {
            Path p = base.resolve(name);
            if (Files.isRegularFile(p)) {
                files.put(name, Files.readString(p, StandardCharsets.US_ASCII));
            }
        }
        return files;
    }

    @Override
    public synchronized void replace(Map<String, String> expected, Map<String, String> files) throws IOException {
        if (!read().equals(expected)) {
            throw new IOException(dir + " changed while this step ran; run it again");
        }
        Path data = dir.resolve(DATA);
        Path previous = Files.isSymbolicLink(data) ? data.toRealPath() : null;
        Path generation = Files.createDirectory(dir.resolve(".." + STAMP.format(clock.instant())));
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = generation.resolve(e.getKey());
            boolean key = e.getKey().endsWith("key.pem") || e.getKey().endsWith(".key");
            try {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        key ? "rw-------" : "rw-r--r--")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(p);
            }
            Files.writeString(p, e.getValue(), StandardCharsets.US_ASCII);
        }
        Path link = dir.resolve("..data_tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, generation.getFileName());
        Files.move(link, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String name : files.keySet()) {
            Path top = dir.resolve(name);
            if (!Files.isSymbolicLink(top)) {
                Path tmp = dir.resolve("." + name + ".link");
                Files.deleteIfExists(tmp);
                Files.createSymbolicLink(tmp, Path.of(DATA, name));
                Files.move(tmp, top, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (previous != null && !previous.equals(generation.toRealPath())) {
            deleteTree(previous);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
