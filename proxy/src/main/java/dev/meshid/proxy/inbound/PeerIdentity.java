package dev.meshid.proxy.inbound;

import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.proxy.tls.SpiffeTrustManager;
import io.netty.util.AttributeKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who is on the other end of an mTLS connection, established once per connection after the handshake.
 *
 * @param id the peer's SPIFFE ID
 * @param certificateHash the SHA-256 of the peer's leaf certificate (DER), lower-case hex, for XFCC
 */
public record PeerIdentity(SpiffeId id, String certificateHash) {
  /** Where a connection keeps its peer; absent on plaintext connections. */
  public static final AttributeKey<PeerIdentity> KEY = AttributeKey.valueOf("meshid.peer");

  public PeerIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(certificateHash, "certificateHash");
  }

  /** The identity the trust manager established (no certificate parsing on the data path). */
  public static PeerIdentity of(SpiffeTrustManager.PeerId peer) {
    return new PeerIdentity(peer.id(), peer.certificateHash());
  }

  /**
   * The identity of a verified leaf.
   *
   * @throws IllegalArgumentException when it carries no SPIFFE ID
   */
  public static PeerIdentity of(X509Certificate leaf) {
    SpiffeId id = SvidInfo.spiffeIdOf(leaf).orElseThrow(
        () -> new IllegalArgumentException("the peer certificate carries no SPIFFE ID"));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded());
      return new PeerIdentity(id, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot hash the peer certificate", e);
    }
  }
}
