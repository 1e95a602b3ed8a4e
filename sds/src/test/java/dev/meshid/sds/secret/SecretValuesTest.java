package dev.meshid.sds.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.sds.testing.TestSecrets;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretValuesTest {

  private static final byte[] CERT = TestSecrets.pem("a-cert.pem");
  private static final byte[] KEY = TestSecrets.pem("a-key.pem");

  @Test
  void toString_showsTheLeaf_andNeverTheKey() {
    String text = new TlsCertificate(CERT, KEY).toString();
    String keyBody = new String(KEY, StandardCharsets.US_ASCII).split("\n")[1];

    assertThat(text).contains("CN=sds-test-a").contains("<redacted>").doesNotContain(keyBody);
  }

  @Test
  void certificate_isCopiedInAndOut() {
    byte[] chain = CERT.clone();
    TlsCertificate cert = new TlsCertificate(chain, KEY);
    chain[30] ^= 1;
    cert.keyPem()[30] ^= 1;

    assertThat(cert).isEqualTo(new TlsCertificate(CERT, KEY));
    assertThat(cert.hashCode()).isEqualTo(new TlsCertificate(CERT, KEY).hashCode());
  }

  @Test
  void keyWhereTheChainShouldBe_isRejected() {
    assertThatThrownBy(() -> new TlsCertificate(KEY, KEY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate chain");
  }

  @Test
  void certificateWhereTheKeyShouldBe_isRejected_withoutQuotingIt() {
    assertThatThrownBy(() -> new TlsCertificate(CERT, CERT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("private key has no PEM PRIVATE KEY block");
  }

  @Test
  void emptyAndMissingParts_areRejected() {
    assertThatThrownBy(() -> new TlsCertificate(new byte[0], KEY)).hasMessageContaining("empty");
    assertThatThrownBy(() -> new TlsCertificate(CERT, null)).hasMessageContaining("empty");
    assertThatThrownBy(() -> new TrustBundle(null)).hasMessageContaining("empty");
  }

  @Test
  void corruptCertificate_isRejected() {
    byte[] corrupt = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> new TrustBundle(corrupt)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trust bundle");
  }

  @Test
  void bundle_countsItsCertificates() {
    assertThat(TestSecrets.bundle("a", "b", "c").certificates()).hasSize(3);
    assertThat(TestSecrets.bundle("a")).isNotEqualTo(TestSecrets.bundle("a", "b"));
  }
}
