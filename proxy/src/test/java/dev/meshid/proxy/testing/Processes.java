package dev.meshid.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real client binaries (curl, openssl) with a time limit. */
public final class Processes {
  /** Exit code and merged output. */
  public record Result(int exitCode, String output) {}

  private Processes() {}

  /** Runs {@code command} with {@code stdin} as input; kills it after {@code timeout}. */
  public static Result run(List<String> command, String stdin, Duration timeout) {
    try {
      Path out = Files.createTempFile("proc", ".out");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try (var in = p.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor();
          return new Result(-1, Files.readString(out) + "\n[killed after " + timeout + "]");
        }
        return new Result(p.exitValue(), Files.readString(out));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Curl with a 10 s limit; {@code -w} prints the status after the body as {@code \nHTTP <code>}. */
  public static Result curl(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10",
        "-w", "\nHTTP %{http_code}"));
    cmd.addAll(List.of(args));
    return run(cmd, null, Duration.ofSeconds(15));
  }
}
