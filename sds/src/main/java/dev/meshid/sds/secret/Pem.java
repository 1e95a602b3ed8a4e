package dev.meshid.sds.secret;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal PEM checks for the values this module carries. Full PKI validation (chains, SANs, expiry)
 * belongs to the pki module; SDS only makes sure it hands Envoy something Envoy can load.
 */
final class Pem {

  private static final String CERT_BEGIN = "-----BEGIN CERTIFICATE-----";
  // PKCS#8, SEC1 and PKCS#1 are all accepted by Envoy/BoringSSL.
  private static final Pattern KEY_BLOCK = Pattern.compile(
      "-----BEGIN ((?:EC |RSA )?PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private Pem() {}

  /** Parses one or more PEM certificates; throws {@link IllegalArgumentException} naming {@code what}. */
  static List<X509Certificate> certificates(byte[] pem, String what) {
    if (pem == null || pem.length == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (!new String(pem, StandardCharsets.US_ASCII).contains(CERT_BEGIN)) {
      throw new IllegalArgumentException(what + " has no PEM CERTIFICATE block");
    }
    try {
      List<X509Certificate> certs = new ArrayList<>();
      for (var cert : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))) {
        certs.add((X509Certificate) cert);
      }
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(what + " contains no certificate");
      }
      return certs;
    } catch (CertificateException | RuntimeException e) {
      // The JDK parser throws runtime exceptions on some malformed input too; report both alike.
      throw new IllegalArgumentException(what + " is not valid PEM X.509: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code pem} holds a private key block with a decodable body. Messages never quote
   * the input: it is key material.
   */
  static void requirePrivateKey(byte[] pem) {
    if (pem == null || pem.length == 0) {
      throw new IllegalArgumentException("private key is empty");
    }
    Matcher m = KEY_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new IllegalArgumentException("private key has no PEM PRIVATE KEY block");
    }
    try {
      if (Base64.getMimeDecoder().decode(m.group(2)).length == 0) {
        throw new IllegalArgumentException("private key PEM block is empty");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private key PEM block is not valid base64");
    }
  }
}
