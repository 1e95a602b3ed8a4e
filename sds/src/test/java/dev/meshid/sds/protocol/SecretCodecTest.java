package dev.meshid.sds.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import dev.meshid.sds.testing.TestSecrets;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import org.junit.jupiter.api.Test;

class SecretCodecTest {

  @Test
  void certificate_isEncodedAsInlineTlsCertificate_andDecodesBack() {
    Secret secret = SecretCodec.encode("default", TestSecrets.cert("a"));

    assertThat(secret.getName()).isEqualTo("default");
    assertThat(secret.getTlsCertificate().getCertificateChain().getInlineBytes().toByteArray())
        .isEqualTo(TestSecrets.pem("a-cert.pem"));
    assertThat(secret.getTlsCertificate().getPrivateKey().getInlineBytes().toByteArray())
        .isEqualTo(TestSecrets.pem("a-key.pem"));
    assertThat(SecretCodec.decode(SecretCodec.unpack(SecretCodec.pack(secret)))).isEqualTo(TestSecrets.cert("a"));
  }

  @Test
  void bundle_isEncodedAsValidationContextTrustedCa() {
    Secret secret = SecretCodec.encode("ROOTCA", TestSecrets.bundle("a", "b"));

    assertThat(secret.getValidationContext().getTrustedCa().getInlineBytes().toByteArray())
        .isEqualTo(TestSecrets.bundle("a", "b").rootsPem());
    assertThat(SecretCodec.pack(secret).getTypeUrl()).isEqualTo(SecretCodec.TYPE_URL);
  }

  @Test
  void fileDataSource_isRejected_becauseTheClientMayNotReadTheServersFiles() {
    Secret secret = Secret.newBuilder().setName("ROOTCA").setValidationContext(
        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext.newBuilder()
            .setTrustedCa(DataSource.newBuilder().setFilename("/etc/root.pem"))).build();

    assertThatThrownBy(() -> SecretCodec.decode(secret)).hasMessageContaining("not inline");
  }

  @Test
  void resourceOfAnotherType_isRejected() {
    Any cluster = Any.newBuilder().setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster").build();

    assertThatThrownBy(() -> SecretCodec.unpack(cluster)).hasMessageContaining("unexpected resource type");
  }

  @Test
  void versions_followContent() {
    String a = Versions.of(SecretCodec.encode("default", TestSecrets.cert("a")));

    assertThat(Versions.of(SecretCodec.encode("default", TestSecrets.cert("a")))).isEqualTo(a).hasSize(16);
    assertThat(Versions.of(SecretCodec.encode("default", TestSecrets.cert("b")))).isNotEqualTo(a);
  }
}
