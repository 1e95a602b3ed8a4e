package dev.meshid.proxy.tls;

import dev.meshid.proxy.config.TlsEngine;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the TLS implementation: BoringSSL (netty-tcnative) is several times faster per handshake. */
public final class TlsProviders {
  private static final Logger log = LoggerFactory.getLogger(TlsProviders.class);

  private TlsProviders() {}

  /**
   * The provider for {@code engine}, logged once by the caller's start-up.
   *
   * @throws IllegalStateException when OPENSSL is demanded and netty-tcnative does not load
   */
  public static SslProvider choose(TlsEngine engine) {
    return switch (engine) {
      case JDK -> SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException("--tls-engine openssl: netty-tcnative (BoringSSL) does not load here: "
              + OpenSsl.unavailabilityCause() + "; use --tls-engine auto or jdk");
        }
        yield SslProvider.OPENSSL;
      }
      case AUTO -> {
        if (OpenSsl.isAvailable()) {
          yield SslProvider.OPENSSL;
        }
        log.warn("netty-tcnative (BoringSSL) does not load ({}); using the JDK's TLS, which is slower",
            String.valueOf(OpenSsl.unavailabilityCause()));
        yield SslProvider.JDK;
      }
    };
  }

  /** A one-line description for the start-up log, e.g. {@code OPENSSL (BoringSSL 1.1.1 ...)}. */
  public static String describe(SslProvider provider) {
    return provider == SslProvider.JDK ? "JDK " + System.getProperty("java.version")
        : provider + " (" + OpenSsl.versionString() + ")";
  }
}
