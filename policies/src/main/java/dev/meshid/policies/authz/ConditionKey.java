package dev.meshid.policies.authz;

import java.util.Locale;

/**
 * A parsed {@code when[].key}.
 *
 * @param kind what the key compares
 * @param headerName the lower-case header name for {@code request.headers[...]}, else null
 */
public record ConditionKey(Kind kind, String headerName) {

  /** The condition keys meshid supports. */
  public enum Kind {
    SOURCE_IP, REMOTE_IP, SOURCE_NAMESPACE, SOURCE_PRINCIPAL, DESTINATION_PORT, CONNECTION_SNI,
    REQUEST_HEADER,
    /** {@code request.auth.*}: meshid validates no JWT, so these are never present. */
    REQUEST_AUTH
  }

  static final String SUPPORTED = "source.ip, remote.ip, source.namespace, source.principal, "
      + "destination.port, connection.sni, request.headers[<name>], request.auth.*";

  /**
   * Parses a key.
   *
   * @throws IllegalArgumentException naming the key and the supported keys
   */
  public static ConditionKey parse(String key) {
    Kind kind = switch (key) {
      case "source.ip" -> Kind.SOURCE_IP;
      case "remote.ip" -> Kind.REMOTE_IP;
      case "source.namespace" -> Kind.SOURCE_NAMESPACE;
      case "source.principal" -> Kind.SOURCE_PRINCIPAL;
      case "destination.port" -> Kind.DESTINATION_PORT;
      case "connection.sni" -> Kind.CONNECTION_SNI;
      default -> null;
    };
    if (kind != null) {
      return new ConditionKey(kind, null);
    }
    if (key.startsWith("request.headers[") && key.endsWith("]") && key.length() > "request.headers[]".length()) {
      String name = key.substring("request.headers[".length(), key.length() - 1);
      return new ConditionKey(Kind.REQUEST_HEADER, name.toLowerCase(Locale.ROOT));
    }
    if (key.startsWith("request.auth.")) {
      return new ConditionKey(Kind.REQUEST_AUTH, null);
    }
    throw new IllegalArgumentException("unsupported condition key '" + key + "' (supported: " + SUPPORTED + ")");
  }
}
