package dev.meshid.policies.yaml;

/** A problem at one field path; turned into a {@code PolicyLoadException} with file and resource. */
final class FieldError extends RuntimeException {
  final String path;

  FieldError(String path, String message) {
    super(message, null, false, false);
    this.path = path;
  }
}
