package dev.meshid.sds.protocol;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Content versions: the first 16 hex digits of a SHA-256. Two streams serving the same secret report
 * the same version, and a version changes exactly when the bytes do, which makes Envoy's config dump
 * easy to match with the agent's log.
 */
public final class Versions {

  private Versions() {}

  /** The version of one secret. */
  public static String of(Secret secret) {
    return hash(secret.toByteArray());
  }

  /** The version of a response carrying {@code versionsByName} (name to resource version). */
  public static String ofResponse(Map<String, String> versionsByName) {
    StringBuilder joined = new StringBuilder();
    versionsByName.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> joined.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
    return hash(joined.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String hash(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
