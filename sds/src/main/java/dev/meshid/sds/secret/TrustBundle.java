package dev.meshid.sds.secret;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * One or more PEM CA certificates that peers are verified against. Served as SDS resource
 * {@code ROOTCA} or {@code file-root:...}.
 *
 * @param rootsPem one or more PEM certificates
 */
public record TrustBundle(byte[] rootsPem) implements SecretValue {

  /** @throws IllegalArgumentException if the bytes hold no PEM certificate */
  public TrustBundle {
    rootsPem = rootsPem == null ? null : rootsPem.clone();
    Pem.certificates(rootsPem, "trust bundle");
  }

  @Override
  public byte[] rootsPem() {
    return rootsPem.clone();
  }

  /** The parsed certificates. */
  public List<X509Certificate> certificates() {
    return Pem.certificates(rootsPem, "trust bundle");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustBundle other && Arrays.equals(rootsPem, other.rootsPem);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rootsPem);
  }

  @Override
  public String toString() {
    return "TrustBundle[certificates=" + certificates().size() + "]";
  }
}
