package dev.meshid.proxy.tls;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.SvidInfo;
import dev.meshid.pki.crypto.TlsPolicy;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.pem.Pem;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Builds a {@link TlsSnapshot} from SDS secrets; the policy (versions, client auth) lives here, the cipher
 * suites are meshid's {@link TlsPolicy} (ECDHE with AEAD only) on both the inbound and the outbound side.
 */
public final class TlsSnapshotFactory {
  private final SslProvider provider;
  private final String[] protocols;
  private final Clock clock;
  private final List<String> serverAlpn;

  /**
   * @param provider the TLS implementation
   * @param minVersion {@code TLSv1.3} (only 1.3) or {@code TLSv1.2} (1.2 and 1.3)
   */
  public TlsSnapshotFactory(SslProvider provider, String minVersion, Clock clock) {
    this(provider, minVersion, clock, List.of());
  }

  /**
   * @param serverAlpn the application protocols the server side offers in ALPN, preferred first (for
   *     example {@code h2}, {@code http/1.1}); empty: no ALPN. A client that offers none of them still
   *     connects (and speaks HTTP/1.1).
   */
  public TlsSnapshotFactory(SslProvider provider, String minVersion, Clock clock, List<String> serverAlpn) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.protocols = minVersion.equals("TLSv1.2") ? new String[] {"TLSv1.3", "TLSv1.2"} : new String[] {"TLSv1.3"};
    this.clock = Objects.requireNonNull(clock, "clock");
    this.serverAlpn = List.copyOf(serverAlpn);
  }

  public SslProvider provider() {
    return provider;
  }

  /**
   * Builds both contexts.
   *
   * @throws IllegalArgumentException when the secrets cannot be used (no SPIFFE ID, unreadable key, the
   *     TLS library refusing them); the message never contains key material
   */
  public TlsSnapshot build(TlsCertificate certificate, TrustBundle bundle, long version) {
    List<X509Certificate> chain = certificate.chain();
    List<X509Certificate> roots = bundle.certificates();
    X509Certificate leaf = chain.get(0);
    SpiffeId self = SvidInfo.spiffeIdOf(leaf).orElseThrow(() -> new IllegalArgumentException(
        "the default certificate " + leaf.getSubjectX500Principal().getName() + " carries no SPIFFE ID"));
    PrivateKey key;
    try {
      key = Pem.readPrivateKey(new String(certificate.keyPem(), StandardCharsets.US_ASCII));
    } catch (PkiException e) {
      throw new IllegalArgumentException("the default private key cannot be read: " + e.getMessage(), e);
    }
    SpiffeTrustManager trust = new SpiffeTrustManager(roots, clock);
    X509Certificate[] chainArray = chain.toArray(new X509Certificate[0]);
    try {
      SslContext server = SslContextBuilder.forServer(key, chainArray)
          .sslProvider(provider)
          .protocols(protocols)
          .ciphers(TlsPolicy.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
          .trustManager(trust)
          .clientAuth(ClientAuth.REQUIRE)
          .applicationProtocolConfig(serverAlpn.isEmpty() ? ApplicationProtocolConfig.DISABLED
              // The only failure behaviours BoringSSL supports: no match means no ALPN, and the client goes on.
              : new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, serverAlpn))
          .build();
      SslContext client = SslContextBuilder.forClient()
          .sslProvider(provider)
          .protocols(protocols)
          .ciphers(TlsPolicy.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
          .keyManager(key, chainArray)
          .trustManager(trust)
          .endpointIdentificationAlgorithm(null)
          .build();
      return new TlsSnapshot(server, client, self, leaf, roots, trust, version);
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException("cannot build TLS contexts for " + self + ": " + e.getMessage(), e);
    }
  }
}
