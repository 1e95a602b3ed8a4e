package dev.meshid.sds.testing;

import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throw-away self-signed EC P-256 certificates {@code a}, {@code b}, {@code c}, ... made once per test JVM
 * (no key material is kept in the repository).
 */
public final class TestSecrets {

  private static final Map<String, TestPki.Issued> ISSUED = new ConcurrentHashMap<>();

  private TestSecrets() {}

  /** PEM bytes of {@code <id>-cert.pem} or {@code <id>-key.pem}. */
  public static byte[] pem(String file) {
    int dash = file.lastIndexOf('-');
    if (dash < 0 || !file.endsWith(".pem")) {
      throw new IllegalArgumentException("expected <id>-cert.pem or <id>-key.pem, got " + file);
    }
    TestPki.Issued issued = issued(file.substring(0, dash));
    String kind = file.substring(dash + 1, file.length() - ".pem".length());
    String pem = switch (kind) {
      case "cert" -> Pem.write(issued.cert());
      case "key" -> Pem.writePrivateKey(issued.key());
      default -> throw new IllegalArgumentException("expected <id>-cert.pem or <id>-key.pem, got " + file);
    };
    return pem.getBytes(StandardCharsets.US_ASCII);
  }

  /** Certificate and key {@code a}, {@code b} or {@code c}. */
  public static TlsCertificate cert(String id) {
    return new TlsCertificate(pem(id + "-cert.pem"), pem(id + "-key.pem"));
  }

  /** A trust bundle of the certificates named by {@code ids}. */
  public static TrustBundle bundle(String... ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String id : ids) {
      out.writeBytes(pem(id + "-cert.pem"));
    }
    return new TrustBundle(out.toByteArray());
  }

  private static TestPki.Issued issued(String id) {
    return ISSUED.computeIfAbsent(id,
        k -> TestPki.root("sds-test-" + k).ec().validFor(Duration.ofDays(3650)).build());
  }
}
