package dev.meshid.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real client binary (openssl, curl) with a time limit, output merged. */
public final class Exec {
    private Exec() {
    }

    /** Exit code and merged output. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code command} with {@code stdin} (may be null) and kills it after {@code timeout}. */
    public static Result run(List<String> command, String stdin, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("meshid-demo-exec", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, Files.readString(out) + "\n(killed after " + timeout.toSeconds() + "s)");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
