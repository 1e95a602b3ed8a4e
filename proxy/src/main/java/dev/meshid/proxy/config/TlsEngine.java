package dev.meshid.proxy.config;

/** Which TLS implementation the proxy uses. */
public enum TlsEngine {
  /** BoringSSL through netty-tcnative where it loads, the JDK's otherwise. */
  AUTO,
  /** BoringSSL through netty-tcnative; fail at start if it does not load. */
  OPENSSL,
  /** The JDK's SSLEngine. */
  JDK
}
