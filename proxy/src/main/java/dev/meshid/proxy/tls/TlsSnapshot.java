package dev.meshid.proxy.tls;

import dev.meshid.pki.id.SpiffeId;
import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The proxy's live credentials at one moment: TLS contexts built from one {@code default} certificate and
 * one {@code ROOTCA} bundle. Immutable; replaced as a whole on every SDS push, so a connection uses one
 * consistent pair from handshake to close.
 *
 * @param server accepts peers (client certificate required, verified by {@link SpiffeTrustManager})
 * @param client originates mTLS to other proxies
 * @param self the SPIFFE ID of our own certificate
 * @param leaf our own certificate
 * @param roots the trust bundle
 * @param trustManager the verifier both contexts use
 * @param version a counter that grows with each snapshot, for logs and tests
 */
public record TlsSnapshot(SslContext server, SslContext client, SpiffeId self, X509Certificate leaf,
    List<X509Certificate> roots, SpiffeTrustManager trustManager, long version) {

  public TlsSnapshot {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(leaf, "leaf");
    roots = List.copyOf(roots);
    Objects.requireNonNull(trustManager, "trustManager");
  }

  @Override
  public String toString() {
    return "TlsSnapshot[v" + version + ", " + self + ", serial " + leaf.getSerialNumber().toString(16)
        + ", notAfter " + leaf.getNotAfter().toInstant() + ", roots " + roots.size() + "]";
  }
}
