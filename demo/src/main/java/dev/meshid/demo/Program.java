package dev.meshid.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The meshid programs the demo starts as child processes. Their JVM flags and class paths come from the same
 * {@code bin/jvm-flags} and {@code bin/jvm-classpath} files {@code bin/meshid} reads, so the demo runs its children
 * as a user would.
 */
public enum Program {
    CA("ca"),
    AGENT("agent"),
    PROXY("proxy");

    /** The launcher's flag file, relative to the repository root. */
    static final String FLAGS_FILE = "bin/jvm-flags";
    /** The launcher's class path file (jar names per subcommand), relative to the repository root. */
    static final String CLASSPATH_FILE = "bin/jvm-classpath";

    private final String subcommand;

    Program(String subcommand) {
        this.subcommand = subcommand;
    }

    /** The {@code meshid} subcommand, e.g. {@code ca}. */
    public String subcommand() {
        return subcommand;
    }

    /**
     * The environment {@code bin/meshid} gives this program unless the user set it: two glibc malloc arenas for
     * the long-running agent and proxy (each thread's arena otherwise keeps freed native memory resident).
     */
    public java.util.Map<String, String> launcherEnvironment() {
        return this == CA ? java.util.Map.of() : java.util.Map.of("MALLOC_ARENA_MAX", "2");
    }

    /**
     * JVM options, before the class path: the subcommand's line of {@code bin/jvm-flags} under the repository
     * root ({@code meshid.home}, set by {@code bin/meshid}, or the nearest parent of the working directory
     * that has the file); none when no flag file is found.
     */
    public List<String> jvmFlags() {
        return flagsFile().map(f -> flagsFor(subcommand, f)).orElse(List.of());
    }

    static List<String> flagsFor(String subcommand, Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            String line = lines.stream().filter(l -> l.startsWith(subcommand + "=")).findFirst()
                    .or(() -> lines.stream().filter(l -> l.startsWith("default=")).findFirst())
                    .orElse("=");
            String flags = line.substring(line.indexOf('=') + 1).trim();
            return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The program's own class path in the distribution directory {@code lib}, as {@code bin/meshid} builds it: the
     * jars its line of {@code bin/jvm-classpath} names (each a jar name without its version); empty when there is no
     * line or a named jar is missing, and then the program runs on the whole distribution.
     */
    public Optional<String> classPath(Path lib) {
        return repositoryFile(CLASSPATH_FILE).flatMap(f -> classPathFor(subcommand, f, lib));
    }

    static Optional<String> classPathFor(String subcommand, Path file, Path lib) {
        try {
            Optional<String> line = Files.readAllLines(file).stream().filter(l -> l.startsWith(subcommand + "="))
                    .findFirst().map(l -> l.substring(l.indexOf('=') + 1).trim()).filter(l -> !l.isEmpty());
            if (line.isEmpty()) {
                return Optional.empty();
            }
            StringBuilder cp = new StringBuilder();
            for (String name : line.get().split("\\s+")) {
                Optional<Path> jar = jar(lib, name);
                if (jar.isEmpty()) {
                    return Optional.empty();
                }
                cp.append(cp.length() == 0 ? "" : ":").append(jar.get());
            }
            return Optional.of(cp.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The jar {@code name-<version>.jar} in {@code lib}, as the launcher's {@code lib/name-[0-9]*.jar} finds it. */
    private static Optional<Path> jar(Path lib, String name) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(name + "-") && n.endsWith(".jar") && n.length() > name.length() + 1
                        && Character.isDigit(n.charAt(name.length() + 1));
            }).sorted().findFirst();
        }
    }

    static Optional<Path> flagsFile() {
        return repositoryFile(FLAGS_FILE);
    }

    /** {@code relative} under {@code meshid.home}, or under the nearest parent of the working directory having it. */
    private static Optional<Path> repositoryFile(String relative) {
        String home = System.getProperty("meshid.home");
        if (home != null) {
            Path f = Path.of(home, relative);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve(relative);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
