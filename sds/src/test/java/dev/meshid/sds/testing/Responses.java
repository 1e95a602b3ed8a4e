package dev.meshid.sds.testing;

import dev.meshid.sds.protocol.SecretCodec;
import dev.meshid.sds.secret.SecretValue;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads responses the way a client would. */
public final class Responses {

  private Responses() {}

  /** Resource names in a response, in order. */
  public static List<String> names(DiscoveryResponse response) {
    return response.getResourcesList().stream().map(any -> SecretCodec.unpack(any).getName()).toList();
  }

  /** Decoded values by name. */
  public static Map<String, SecretValue> values(DiscoveryResponse response) {
    Map<String, SecretValue> values = new LinkedHashMap<>();
    for (var any : response.getResourcesList()) {
      Secret secret = SecretCodec.unpack(any);
      values.put(secret.getName(), SecretCodec.decode(secret));
    }
    return values;
  }

  /** Resource names in a delta response, in order. */
  public static List<String> names(DeltaDiscoveryResponse response) {
    return response.getResourcesList().stream().map(Resource::getName).toList();
  }

  /** Decoded values by name. */
  public static Map<String, SecretValue> values(DeltaDiscoveryResponse response) {
    Map<String, SecretValue> values = new LinkedHashMap<>();
    for (Resource resource : response.getResourcesList()) {
      values.put(resource.getName(), SecretCodec.decode(SecretCodec.unpack(resource.getResource())));
    }
    return values;
  }
}
