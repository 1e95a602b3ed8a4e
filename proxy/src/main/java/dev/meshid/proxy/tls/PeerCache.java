package dev.meshid.proxy.tls;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verification results by the exact DER bytes of the peer's chain, for one trust bundle. In a mesh the same
 * few peer certificates handshake again and again until they rotate; the trust decision is a pure function
 * of (chain bytes, bundle, time), so it is computed once per chain and the validity window re-checked on each
 * use. Possession of the leaf's private key is still proven by the TLS library on every handshake. Bounded:
 * cleared when full (a flood of distinct certificates costs what it cost before, no more).
 */
final class PeerCache {
  private static final int MAX_ENTRIES = 4096;

  private final ConcurrentHashMap<Der, Entry> byLeaf = new ConcurrentHashMap<>();

  /** The result for exactly this chain, or null. */
  VerifiedPeer get(byte[] leaf, byte[][] rest) {
    Entry e = byLeaf.get(new Der(leaf));
    return e != null && Arrays.deepEquals(e.rest, rest) ? e.peer : null;
  }

  /** The identity proven for this leaf by an earlier verification, or null. */
  VerifiedPeer identity(byte[] leaf) {
    Entry e = byLeaf.get(new Der(leaf));
    return e == null ? null : e.peer;
  }

  void put(byte[] leaf, byte[][] rest, VerifiedPeer peer) {
    if (byLeaf.size() >= MAX_ENTRIES) {
      byLeaf.clear();
    }
    byLeaf.put(new Der(leaf), new Entry(rest, peer));
  }

  int size() {
    return byLeaf.size();
  }

  private record Entry(byte[][] rest, VerifiedPeer peer) {}

  /** DER bytes as a map key. */
  private static final class Der {
    private final byte[] bytes;
    private final int hash;

    Der(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Der d && d.hash == hash && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
