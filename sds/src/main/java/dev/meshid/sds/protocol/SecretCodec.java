package dev.meshid.sds.protocol;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshid.sds.secret.SecretValue;
import dev.meshid.sds.secret.TlsCertificate;
import dev.meshid.sds.secret.TrustBundle;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/**
 * Converts between our secret values and Envoy's {@code Secret} message, in the shape Istio's agent
 * sends: inline bytes, never file names, so Envoy needs no access to the agent's files.
 */
public final class SecretCodec {

  /** The xDS type URL of every SDS resource. */
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

  private SecretCodec() {}

  /** {@code default} becomes tls_certificate; {@code ROOTCA} becomes validation_context. */
  public static Secret encode(String name, SecretValue value) {
    Secret.Builder secret = Secret.newBuilder().setName(name);
    if (value instanceof TlsCertificate cert) {
      secret.getTlsCertificateBuilder()
          .setCertificateChain(inline(cert.chainPem()))
          .setPrivateKey(inline(cert.keyPem()));
    } else if (value instanceof TrustBundle bundle) {
      secret.setValidationContext(
          CertificateValidationContext.newBuilder().setTrustedCa(inline(bundle.rootsPem())));
    } else {
      throw new IllegalArgumentException("unsupported secret type " + value.getClass());
    }
    return secret.build();
  }

  /** Wraps a secret for a DiscoveryResponse. */
  public static Any pack(Secret secret) {
    return Any.pack(secret, "type.googleapis.com");
  }

  /**
   * Reads a resource as a client would.
   *
   * @throws IllegalArgumentException if the resource is not a Secret, uses a data source other than
   *     inline bytes, or holds invalid PEM; the message is fit for a NACK's error_detail
   */
  public static Secret unpack(Any resource) {
    if (!TYPE_URL.equals(resource.getTypeUrl())) {
      throw new IllegalArgumentException("unexpected resource type " + resource.getTypeUrl());
    }
    try {
      return resource.unpack(Secret.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("undecodable Secret: " + e.getMessage(), e);
    }
  }

  /** Turns a Secret into a checked value; see {@link #unpack} for the failures. */
  public static SecretValue decode(Secret secret) {
    return switch (secret.getTypeCase()) {
      case TLS_CERTIFICATE -> new TlsCertificate(
          inlineBytes(secret.getTlsCertificate().getCertificateChain(), "certificate_chain"),
          inlineBytes(secret.getTlsCertificate().getPrivateKey(), "private_key"));
      case VALIDATION_CONTEXT -> new TrustBundle(
          inlineBytes(secret.getValidationContext().getTrustedCa(), "trusted_ca"));
      default -> throw new IllegalArgumentException(
          "secret '" + secret.getName() + "' has unsupported type " + secret.getTypeCase());
    };
  }

  private static DataSource inline(byte[] bytes) {
    return DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(bytes)).build();
  }

  private static byte[] inlineBytes(DataSource source, String field) {
    return switch (source.getSpecifierCase()) {
      case INLINE_BYTES -> source.getInlineBytes().toByteArray();
      case INLINE_STRING -> source.getInlineStringBytes().toByteArray();
      default -> throw new IllegalArgumentException(field + " is not inline: " + source.getSpecifierCase());
    };
  }
}
