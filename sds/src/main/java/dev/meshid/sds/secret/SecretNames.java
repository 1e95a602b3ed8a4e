package dev.meshid.sds.secret;

/** The SDS resource names Envoy and Istio use. */
public final class SecretNames {

  /** The workload certificate and key. */
  public static final String DEFAULT = "default";
  /** The trust bundle (Istio's name). */
  public static final String ROOTCA = "ROOTCA";
  /** {@code file-cert:<cert-path>~<key-path>}: a certificate and key read from disk. */
  public static final String FILE_CERT_PREFIX = "file-cert:";
  /** {@code file-root:<path>}: a trust bundle read from disk. */
  public static final String FILE_ROOT_PREFIX = "file-root:";

  private SecretNames() {}

  /** True for names served from files ({@code file-cert:} or {@code file-root:}). */
  public static boolean isFileName(String name) {
    return name.startsWith(FILE_CERT_PREFIX) || name.startsWith(FILE_ROOT_PREFIX);
  }
}
