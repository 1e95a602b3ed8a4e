package dev.meshid.sds.secret;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A parsed file resource name: {@code file-cert:<cert-path>~<key-path>} or {@code file-root:<path>}.
 * These are the names Istio's agent accepts in a DestinationRule's credential files.
 *
 * @param name the resource name as requested
 * @param certPath the certificate (or trust bundle) file
 * @param keyPath the key file for {@code file-cert}, empty for {@code file-root}
 */
public record FileSecretName(String name, Path certPath, Optional<Path> keyPath) {

  /** Checks that the paths are absolute. */
  public FileSecretName {
    if (!certPath.isAbsolute() || keyPath.map(p -> !p.isAbsolute()).orElse(false)) {
      throw new IllegalArgumentException("'" + name + "' must use absolute paths");
    }
  }

  /** True for {@code file-cert}, false for {@code file-root}. */
  public boolean isCertificate() {
    return keyPath.isPresent();
  }

  /**
   * Parses {@code name}.
   *
   * @throws IllegalArgumentException naming the expected forms if it is neither
   */
  public static FileSecretName parse(String name) {
    if (name.startsWith(SecretNames.FILE_ROOT_PREFIX)) {
      String path = name.substring(SecretNames.FILE_ROOT_PREFIX.length());
      if (!path.isEmpty()) {
        return new FileSecretName(name, Path.of(path), Optional.empty());
      }
    } else if (name.startsWith(SecretNames.FILE_CERT_PREFIX)) {
      String[] paths = name.substring(SecretNames.FILE_CERT_PREFIX.length()).split("~", -1);
      if (paths.length == 2 && !paths[0].isEmpty() && !paths[1].isEmpty()) {
        return new FileSecretName(name, Path.of(paths[0]), Optional.of(Path.of(paths[1])));
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not of the form "
        + "file-cert:<cert-path>~<key-path> or file-root:<path>");
  }
}
