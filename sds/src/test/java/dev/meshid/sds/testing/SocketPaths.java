package dev.meshid.sds.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Unix socket paths short enough for sun_path (about 107 bytes). */
public final class SocketPaths {

  private SocketPaths() {}

  /**
   * {@code dir/sds/socket} if that fits, else a fresh directory under /tmp (the caller's
   * {@code @TempDir} may be deep on some CI machines). The sds/ level checks parent creation.
   */
  public static Path socketIn(Path dir) throws IOException {
    Path candidate = dir.resolve("sds").resolve("socket");
    if (candidate.toString().getBytes(StandardCharsets.UTF_8).length <= 100) {
      return candidate;
    }
    Path shortDir = Files.createTempDirectory(Path.of("/tmp"), "sds");
    shortDir.toFile().deleteOnExit();
    return shortDir.resolve("socket");
  }
}
