package dev.meshid.proxy.tls;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.chain.VerifiedChain;
import dev.meshid.pki.id.SpiffeId;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a peer whose chain reaches one of the bundle's roots ({@link ChainVerifier}, signatures through
 * meshid's fast crypto provider) and whose leaf carries exactly one SPIFFE ID. Host names are not checked:
 * in a mesh the identity is the SPIFFE ID, which the caller compares with what it expects.
 *
 * <p>A chain is verified once per bundle: the result is kept by the chain's exact bytes ({@link PeerCache})
 * and only its validity window is checked again on later handshakes, which costs a hash of the DER instead of
 * parsing and PKIX validation.
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {
  private static final byte[][] NO_CERTS = new byte[0][];

  private final List<X509Certificate> roots;
  private final X509Certificate[] issuers;
  private final Clock clock;
  private final PeerCache cache = new PeerCache();

  public SpiffeTrustManager(List<X509Certificate> roots, Clock clock) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("the trust bundle has no root certificate");
    }
    this.roots = List.copyOf(roots);
    this.issuers = roots.toArray(new X509Certificate[0]);
    this.clock = clock;
  }

  /**
   * Verifies {@code chain} (leaf first).
   *
   * @throws CertificateException naming what is wrong: no chain to the bundle, expired, no SPIFFE ID
   */
  public VerifiedPeer verify(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the peer sent no certificate");
    }
    byte[] leaf = chain[0].getEncoded();
    byte[][] rest = chain.length == 1 ? NO_CERTS : new byte[chain.length - 1][];
    for (int i = 1; i < chain.length; i++) {
      rest[i - 1] = chain[i].getEncoded();
    }
    Instant now = clock.instant();
    VerifiedPeer known = cache.get(leaf, rest);
    if (known != null && known.validAt(now)) {
      return known;
    }
    VerifiedChain verified;
    try {
      verified = ChainVerifier.verify(Arrays.asList(chain), roots, now);
    } catch (PkiException e) {
      throw new CertificateException(e.getMessage(), e);
    }
    if (verified.spiffeId().isEmpty()) {
      throw new CertificateException("the peer certificate " + chain[0].getSubjectX500Principal().getName()
          + " carries no SPIFFE ID (exactly one URI SAN spiffe://...)");
    }
    VerifiedPeer peer = new VerifiedPeer(verified.spiffeId().get(), sha256Hex(leaf),
        latestNotBefore(verified), earliestNotAfter(verified));
    cache.put(leaf, rest, peer);
    return peer;
  }

  /**
   * The identity of a leaf from a completed handshake: from the cache when this manager verified it (no
   * parsing), else derived from the certificate (a resumed session verified under an earlier bundle).
   *
   * @throws IllegalArgumentException when the leaf carries no SPIFFE ID
   */
  public PeerId identify(X509Certificate leaf) {
    byte[] der;
    try {
      der = leaf.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode the peer certificate", e);
    }
    VerifiedPeer known = cache.identity(der);
    if (known != null) {
      return new PeerId(known.id(), known.certificateHash());
    }
    Optional<SpiffeId> id = SvidInfo.spiffeIdOf(leaf);
    if (id.isEmpty()) {
      throw new IllegalArgumentException("the peer certificate carries no SPIFFE ID");
    }
    return new PeerId(id.get(), sha256Hex(der));
  }

  /** Chains verified and remembered so far (for tests and metrics). */
  public int cachedChains() {
    return cache.size();
  }

  /**
   * A peer's identity.
   *
   * @param id the SPIFFE ID
   * @param certificateHash SHA-256 of the leaf (DER), lower-case hex
   */
  public record PeerId(SpiffeId id, String certificateHash) {}

  private static Instant latestNotBefore(VerifiedChain c) {
    Instant t = c.leaf().getNotBefore().toInstant();
    for (X509Certificate x : c.intermediates()) {
      t = max(t, x.getNotBefore().toInstant());
    }
    return max(t, c.root().getNotBefore().toInstant());
  }

  private static Instant earliestNotAfter(VerifiedChain c) {
    Instant t = c.leaf().getNotAfter().toInstant();
    for (X509Certificate x : c.intermediates()) {
      t = min(t, x.getNotAfter().toInstant());
    }
    return min(t, c.root().getNotAfter().toInstant());
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static String sha256Hex(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return issuers.clone();
  }
}
