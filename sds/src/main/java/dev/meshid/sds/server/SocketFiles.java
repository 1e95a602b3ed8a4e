package dev.meshid.sds.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Filesystem chores around a Unix socket path. */
final class SocketFiles {

  /** sun_path is 108 bytes on Linux, including the terminating NUL. */
  static final int MAX_PATH_BYTES = 107;

  private SocketFiles() {}

  /**
   * Makes {@code path} bindable: checks its length, creates the parent directories and removes a
   * socket left behind by a previous process (bind fails on an existing file). Anything at the path
   * that is not a socket is left alone and reported: it is not ours to delete.
   */
  static void prepare(Path path) throws IOException {
    int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_PATH_BYTES) {
      throw new IllegalArgumentException("Unix socket path is " + length + " bytes, over the limit of "
          + MAX_PATH_BYTES + ": " + path);
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    BasicFileAttributes attributes =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    // A socket is neither a regular file, a directory nor a link: "other".
    if (!attributes.isOther()) {
      throw new IOException("refusing to replace " + path + ": it exists and is not a socket");
    }
    Files.delete(path);
  }
}
