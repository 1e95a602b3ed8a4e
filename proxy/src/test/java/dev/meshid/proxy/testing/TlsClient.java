package dev.meshid.proxy.testing;

import dev.meshid.pki.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One long-lived HTTP/1.1 keep-alive connection over mTLS with the JDK's client, for tests that must hold a
 * connection open across a certificate rotation and read the server's certificate serial.
 */
public final class TlsClient implements AutoCloseable {
  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  private TlsClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to 127.0.0.1:{@code port} presenting {@code svid}, trusting {@code root}. */
  public static TlsClient connect(int port, Svid svid, TestPki.Issued root) throws Exception {
    return new TlsClient((SSLSocket) sslContext(svid, root).getSocketFactory().createSocket("127.0.0.1", port));
  }

  /** A JDK TLS 1.3 context presenting {@code svid} and trusting {@code root} (for other JDK clients too). */
  public static SSLContext sslContext(Svid svid, TestPki.Issued root) throws Exception {
    char[] pw = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    // Re-read the key through the JDK's own factory so that JSSE can sign with it.
    PrivateKey key = KeyFactory.getInstance(svid.issued().key().getAlgorithm())
        .generatePrivate(new PKCS8EncodedKeySpec(svid.issued().key().getEncoded()));
    keys.setKeyEntry("svid", key, pw, svid.issued().chainWithoutRoot().toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, pw);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", root.cert());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** The serial of the certificate the server presented on this connection. */
  public BigInteger serverSerial() throws IOException {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  /** Sends {@code GET path} on this connection and returns {@code "<status> <body>"}. */
  public String get(String path) throws IOException {
    out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead();
    int status = Integer.parseInt(head.substring(9, 12));
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return status + " " + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + buf);
      }
      buf.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
          : (b == '\r' ? 1 : 0);
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }

  /** The underlying socket, handshake done, for tests that write raw bytes. */
  public SSLSocket socket() {
    return socket;
  }

  public boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
