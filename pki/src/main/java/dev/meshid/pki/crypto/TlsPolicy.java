package dev.meshid.pki.crypto;

import java.util.List;

/**
 * The TLS versions and cipher suites every meshid TLS endpoint offers: TLS 1.3, and TLS 1.2 only with
 * forward-secret ECDHE key exchange and AEAD ciphers. Left out on purpose: RSA key exchange (no forward
 * secrecy), CBC modes (padding-oracle history), 3DES, RC4 and anything older than TLS 1.2. Names are the IANA
 * ones, which both the JDK and Netty's OpenSSL/BoringSSL engine accept.
 */
public final class TlsPolicy {
    /** Newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.3 suites first (ignored by a TLS 1.2 handshake), then the TLS 1.2 ones, strongest first. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }
}
