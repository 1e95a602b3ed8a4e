package dev.meshid.proxy.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where access log lines go: nowhere, standard output, or a file (appended). */
public sealed interface AccessLogTarget {

  /** No access log. */
  record Off() implements AccessLogTarget {
    @Override
    public String toString() {
      return "off";
    }
  }

  /** Standard output, as Envoy's sidecar logs by default. */
  record Stdout() implements AccessLogTarget {
    @Override
    public String toString() {
      return "stdout";
    }
  }

  /** A file, appended to. */
  record File(Path path) implements AccessLogTarget {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }

  /** {@code stdout}, {@code off} or a file path. */
  static AccessLogTarget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty value; use stdout, off or a file path");
    }
    return switch (text) {
      case "off" -> new Off();
      case "stdout", "-" -> new Stdout();
      default -> new File(Path.of(text));
    };
  }
}
