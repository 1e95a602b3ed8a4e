package dev.meshid.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One started component: its name in the demo's output, the process and the file its output goes to.
 *
 * @param name e.g. {@code agent/bookinfo-details}
 * @param process the running process
 * @param log stdout and stderr, merged
 */
public record Child(String name, Process process, Path log) {
    public Child {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(log, "log");
    }

    /** The last {@code n} lines of the log (empty if there is none yet). */
    public List<String> tail(int n) {
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    /** Whether the process is still running. */
    public boolean alive() {
        return process.isAlive();
    }
}
