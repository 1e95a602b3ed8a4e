package dev.meshid.policies;

/** The mutual-TLS mode of a PeerAuthentication ({@code spec.mtls.mode}). */
public enum MtlsMode {
  /** Inherit from the next level up (namespace, then mesh); PERMISSIVE when nothing is set. */
  UNSET,
  /** Plaintext only: the proxy does not terminate mTLS. */
  DISABLE,
  /** mTLS and plaintext are both accepted. */
  PERMISSIVE,
  /** Only mTLS connections with a valid peer certificate are accepted. */
  STRICT
}
