package dev.meshid.proxy.tls;

import dev.meshid.pki.id.SpiffeId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a verified peer chain proved, kept so that the next handshake presenting the very same bytes does not
 * repeat the work.
 *
 * @param id the leaf's SPIFFE ID
 * @param certificateHash SHA-256 of the leaf (DER), lower-case hex (XFCC's {@code Hash})
 * @param notBefore the latest NotBefore in the chain, root included
 * @param notAfter the earliest NotAfter in the chain, root included
 */
public record VerifiedPeer(SpiffeId id, String certificateHash, Instant notBefore, Instant notAfter) {

  public VerifiedPeer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(certificateHash, "certificateHash");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  /** Whether every certificate of the chain is valid at {@code at}. */
  public boolean validAt(Instant at) {
    return !at.isBefore(notBefore) && !at.isAfter(notAfter);
  }
}
