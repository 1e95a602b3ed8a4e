package dev.meshid.proxy.testing;

import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.TestPki;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test X509-SVID with its key, as the agent would hand it over SDS and as curl reads it from files.
 * Made at test time; nothing is kept.
 */
public record Svid(TestPki.Issued issued) {

  /** Trust domain root for tests. */
  public static TestPki.Issued root(String cn) {
    return TestPki.root(cn).build();
  }

  /**
   * An SVID for {@code spiffeId} signed by {@code root}, with DNS SAN {@code localhost} so that curl can
   * check the server's chain and name too.
   */
  public static Svid issue(TestPki.Issued root, String spiffeId) {
    return new Svid(root.svid(spiffeId).dnsSans("localhost").build());
  }

  public BigInteger serial() {
    return issued.cert().getSerialNumber();
  }

  /** The SDS {@code default} secret. */
  public TlsCertificate secret() {
    return new TlsCertificate(Pem.write(issued.chainWithoutRoot()).getBytes(StandardCharsets.US_ASCII),
        Pem.writePrivateKey(issued.key()).getBytes(StandardCharsets.US_ASCII));
  }

  /** The SDS {@code ROOTCA} secret for {@code root}. */
  public static TrustBundle bundle(TestPki.Issued root) {
    return new TrustBundle(Pem.write(root.cert()).getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes {@code <name>-cert.pem} and {@code <name>-key.pem} (0600) into {@code dir}. */
  public Files2 writeTo(Path dir, String name) {
    try {
      Path cert = dir.resolve(name + "-cert.pem");
      Path key = dir.resolve(name + "-key.pem");
      Files.writeString(cert, Pem.write(issued.chainWithoutRoot()));
      Files.writeString(key, Pem.writePrivateKey(issued.key()));
      key.toFile().setReadable(false, false);
      key.toFile().setReadable(true, true);
      return new Files2(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the root certificate of {@code root} to {@code dir/<name>.pem}. */
  public static Path writeRoot(TestPki.Issued root, Path dir, String name) {
    try {
      Path p = dir.resolve(name + ".pem");
      Files.writeString(p, Pem.write(root.cert()));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A certificate file and its key file. */
  public record Files2(Path cert, Path key) {}
}
