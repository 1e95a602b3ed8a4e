package dev.meshid.policies;

/**
 * A policy file or resource that cannot be loaded. The message names the source, the resource and
 * the field, e.g. {@code policies/x.yaml: AuthorizationPolicy default/v: spec.action: ...}.
 */
public final class PolicyLoadException extends RuntimeException {
  private final String source;
  private final String resource;
  private final String field;
  private final String detail;

  /**
   * @param source the file name, or another description of where the resource came from
   * @param resource {@code Kind namespace/name}, {@code document N}, or null
   * @param field the field path, e.g. {@code spec.rules[0].to}, or null
   * @param detail what is wrong
   */
  public PolicyLoadException(String source, String resource, String field, String detail, Throwable cause) {
    super(compose(source, resource, field, detail), cause);
    this.source = source;
    this.resource = resource;
    this.field = field;
    this.detail = detail;
  }

  public PolicyLoadException(String source, String resource, String field, String detail) {
    this(source, resource, field, detail, null);
  }

  private static String compose(String source, String resource, String field, String detail) {
    StringBuilder sb = new StringBuilder(source);
    if (resource != null) {
      sb.append(": ").append(resource);
    }
    if (field != null) {
      sb.append(": ").append(field);
    }
    return sb.append(": ").append(detail).toString();
  }

  public String source() {
    return source;
  }

  public String resource() {
    return resource;
  }

  public String field() {
    return field;
  }

  public String detail() {
    return detail;
  }
}
