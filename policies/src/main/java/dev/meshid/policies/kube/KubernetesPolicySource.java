package dev.meshid.policies.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshid.policies.AuthzAction;
import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.model.AuthorizationPolicyResource;
import dev.meshid.policies.model.PolicyResource;
import dev.meshid.policies.model.ResourceMeta;
import dev.meshid.policies.yaml.ResourceConverter;
import io.fabric8.istio.api.networking.v1.Sidecar;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link PolicySet} in step with the PeerAuthentications, AuthorizationPolicies and
 * Sidecars of a cluster. Every informer event rebuilds the snapshot from the informer caches and
 * swaps it in one step; readers never lock.
 *
 * <p>A resource that fails meshid's checks is logged and left out, except an AuthorizationPolicy:
 * leaving out a DENY policy would open access, so a broken one is replaced by a DENY-all for its
 * selector (fail closed) until it is fixed.
 */
public final class KubernetesPolicySource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesPolicySource.class);
  private static final String ORIGIN = "kubernetes";

  private final KubernetesClient client;
  private final String rootNamespace;
  private final Consumer<PolicySet> onUpdate;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private volatile PolicySet current;

  /**
   * @param client a configured client (the caller owns and closes it)
   * @param rootNamespace the mesh root namespace, usually {@code istio-system}
   * @param onUpdate called with every new snapshot, on an informer thread
   */
  public KubernetesPolicySource(KubernetesClient client, String rootNamespace, Consumer<PolicySet> onUpdate) {
    this.client = Objects.requireNonNull(client, "client");
    this.rootNamespace = Objects.requireNonNull(rootNamespace, "rootNamespace");
    this.onUpdate = Objects.requireNonNull(onUpdate, "onUpdate");
    this.current = PolicySet.of(List.of(), rootNamespace);
  }

  /** Starts the informers in every namespace and returns once their first listing is cached. */
  public synchronized void start() {
    for (Class<? extends HasMetadata> type : List.of(PeerAuthentication.class, AuthorizationPolicy.class, Sidecar.class)) {
      informers.add(client.resources(type).inAnyNamespace().inform(new Rebuild<>(), 0));
    }
    rebuild();
  }

  /** The newest snapshot. */
  public PolicySet current() {
    return current;
  }

  @Override
  public synchronized void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }

  private synchronized void rebuild() {
    List<PolicyResource> resources = new ArrayList<>();
    for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
      for (HasMetadata object : informer.getStore().list()) {
        resources.addAll(convert(object));
      }
    }
    PolicySet next = PolicySet.of(resources, rootNamespace);
    current = next;
    log.debug("policy snapshot rebuilt: {} resources", resources.size());
    onUpdate.accept(next);
  }

  private List<PolicyResource> convert(HasMetadata object) {
    try {
      JsonNode tree = client.getKubernetesSerialization().convertValue(object, JsonNode.class);
      return ResourceConverter.convert(tree, ORIGIN, 1);
    } catch (PolicyLoadException e) {
      log.error("{}; {}", e.getMessage(), object instanceof AuthorizationPolicy ? "denying all requests it selects"
          : "ignoring it");
      if (object instanceof AuthorizationPolicy ap) {
        return List.of(denyAll(ap));
      }
      return List.of();
    }
  }

  private static PolicyResource denyAll(AuthorizationPolicy ap) {
    Map<String, String> selector = ap.getSpec() != null && ap.getSpec().getSelector() != null
        && ap.getSpec().getSelector().getMatchLabels() != null ? ap.getSpec().getSelector().getMatchLabels() : Map.of();
    ResourceMeta meta = new ResourceMeta("AuthorizationPolicy", ap.getMetadata().getNamespace(),
        ap.getMetadata().getName(), null, ORIGIN);
    return new AuthorizationPolicyResource(meta, selector, AuthzAction.DENY,
        List.of(new AuthorizationPolicyResource.Rule(List.of(), List.of(), List.of())));
  }

  private final class Rebuild<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      rebuild();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      rebuild();
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      rebuild();
    }
  }
}
