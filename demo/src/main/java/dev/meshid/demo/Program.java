package dev.meshid.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The meshid programs the demo starts as child processes. Their JVM flags come from the same
 * {@code bin/jvm-flags} file {@code bin/meshid} reads, so the demo runs its children as a user would.
 */
public enum Program {
    CA("ca"),
    AGENT("agent"),
    PROXY("proxy");

    /** The launcher's flag file, relative to the repository root. */
    static final String FLAGS_FILE = "bin/jvm-flags";

    private final String subcommand;

    Program(String subcommand) {
        this.subcommand = subcommand;
    }

    /** The {@code meshid} subcommand, e.g. {@code ca}. */
    public String subcommand() {
        return subcommand;
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

    static Optional<Path> flagsFile() {
        String home = System.getProperty("meshid.home");
        if (home != null) {
            Path f = Path.of(home, FLAGS_FILE);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve(FLAGS_FILE);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
