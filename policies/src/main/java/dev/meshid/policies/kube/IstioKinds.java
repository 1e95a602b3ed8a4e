package dev.meshid.policies.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * The Istio resources meshid enforces, in every version the API server may serve them: {@code
 * security.istio.io} v1 (Istio 1.22 and later) and v1beta1 (all versions), {@code networking.istio.io} v1
 * and v1beta1. On a cluster that serves both versions, one object is seen through both; the source keeps it
 * once.
 */
final class IstioKinds {
  static final List<Class<? extends HasMetadata>> TYPES = List.of(
      io.fabric8.istio.api.security.v1.PeerAuthentication.class,
      io.fabric8.istio.api.security.v1beta1.PeerAuthentication.class,
      io.fabric8.istio.api.security.v1.AuthorizationPolicy.class,
      io.fabric8.istio.api.security.v1beta1.AuthorizationPolicy.class,
      io.fabric8.istio.api.networking.v1.Sidecar.class,
      io.fabric8.istio.api.networking.v1beta1.Sidecar.class);

  private IstioKinds() {}

  /** {@code Kind group/version}, for logs. */
  static String describe(Class<? extends HasMetadata> type) {
    return HasMetadata.getKind(type) + " " + HasMetadata.getApiVersion(type);
  }
}
