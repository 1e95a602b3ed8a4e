package dev.meshid.sds.secret;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * A certificate chain (leaf first) and its private key, both PEM. Served as SDS resource
 * {@code default} or {@code file-cert:...}.
 *
 * <p>The arrays are copied in and out, so an instance never changes. {@link #toString()} shows the
 * leaf subject and never the key.
 *
 * @param chainPem one or more PEM certificates, leaf first
 * @param keyPem the PEM private key of the leaf (PKCS#8, SEC1 or PKCS#1)
 */
public record TlsCertificate(byte[] chainPem, byte[] keyPem) implements SecretValue {

  /** @throws IllegalArgumentException if either part is missing or is not PEM of the right kind */
  public TlsCertificate {
    chainPem = chainPem == null ? null : chainPem.clone();
    keyPem = keyPem == null ? null : keyPem.clone();
    Pem.certificates(chainPem, "certificate chain");
    Pem.requirePrivateKey(keyPem);
  }

  @Override
  public byte[] chainPem() {
    return chainPem.clone();
  }

  @Override
  public byte[] keyPem() {
    return keyPem.clone();
  }

  /** The parsed chain, leaf first. */
  public List<X509Certificate> chain() {
    return Pem.certificates(chainPem, "certificate chain");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsCertificate other
        && Arrays.equals(chainPem, other.chainPem)
        && Arrays.equals(keyPem, other.keyPem);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(chainPem) + Arrays.hashCode(keyPem);
  }

  @Override
  public String toString() {
    List<X509Certificate> chain = chain();
    return "TlsCertificate[leaf=" + chain.get(0).getSubjectX500Principal().getName()
        + ", chainLength=" + chain.size() + ", key=<redacted>]";
  }
}
