package dev.meshid.sds.server;

import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.secret.SecretSource;
import dev.meshid.sds.secret.UnknownSecretException;
import io.grpc.Status;
import java.util.List;

/**
 * The one place where SDS failures become gRPC statuses.
 *
 * <p>An unknown resource name ends the stream with {@code NOT_FOUND} rather than being left
 * unanswered. Envoy would otherwise wait forever with the listener warming (meshid's bootstrap sets
 * initial_fetch_timeout to 0s) and log nothing; with the status, Envoy logs
 * "gRPC config stream closed: 5, unknown SDS resource ..." and retries with backoff, so the
 * misconfiguration is visible on both sides.
 */
final class SdsErrors {

  private SdsErrors() {}

  static Status unknownSecret(UnknownSecretException e, SecretSource source) {
    List<String> served = source.advertisedNames();
    String description = e.getMessage()
        + (served.isEmpty() ? "" : "; this server serves: " + String.join(", ", served));
    return Status.NOT_FOUND.withDescription(description);
  }

  static Status wrongType(String typeUrl) {
    return Status.INVALID_ARGUMENT.withDescription(
        "unsupported type_url '" + typeUrl + "'; this server serves only " + SecretCodec.TYPE_URL);
  }

  static boolean isWrongType(String typeUrl) {
    return !typeUrl.isEmpty() && !SecretCodec.TYPE_URL.equals(typeUrl);
  }
}
