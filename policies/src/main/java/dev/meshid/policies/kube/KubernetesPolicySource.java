package dev.meshid.policies.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshid.policies.AuthzAction;
import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.model.AuthorizationPolicyResource;
import dev.meshid.policies.model.PolicyResource;
import dev.meshid.policies.model.ResourceMeta;
import dev.meshid.policies.yaml.ResourceConverter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link PolicySet} in step with the PeerAuthentications, AuthorizationPolicies and Sidecars
 * ({@link IstioKinds}) of some namespaces (a proxy's own and the root namespace) or of the whole cluster.
 * Each add, update or delete is converted and checked on its own, and a new snapshot is swapped in in one
 * step; readers never lock.
 *
 * <p>A resource that fails meshid's checks is rejected: the error names its namespace, name and field, it is
 * counted ({@link #rejected()}, {@link #lastError()}), and the set in force does not change. So an update
 * that breaks a resource leaves its last good version in force, and a broken new resource is left out. One
 * exception, when the source starts: an AuthorizationPolicy that is broken in the initial listing has no
 * good version to keep, and leaving it out could open access it was meant to close (a DENY policy), so it
 * is replaced by a DENY-all for its selector (fail closed) until it is fixed or deleted.
 */
public final class KubernetesPolicySource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesPolicySource.class);
  private static final String ORIGIN = "kubernetes";
  /** How long {@link #start()} waits for the first listing. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final String rootNamespace;
  private final Consumer<PolicySet> onUpdate;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  // What is in force, by "Kind namespace/name" (the same object seen through v1 and v1beta1 is one entry).
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private volatile String lastError;
  private volatile PolicySet current;
  private boolean started;

  private record Entry(List<PolicyResource> resources, boolean failClosed, String resourceVersion) {}

  /** Watches every namespace. */
  public KubernetesPolicySource(KubernetesClient client, String rootNamespace, Consumer<PolicySet> onUpdate) {
    this(client, List.of(), rootNamespace, onUpdate);
  }

  /**
   * @param client a configured client (the caller owns and closes it)
   * @param namespaces the namespaces to watch, usually the workload's and the root namespace; empty: all
   * @param rootNamespace the mesh root namespace, usually {@code istio-system}
   * @param onUpdate called with every new snapshot, on an informer thread
   */
  public KubernetesPolicySource(KubernetesClient client, List<String> namespaces, String rootNamespace,
      Consumer<PolicySet> onUpdate) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespaces = namespaces.stream().distinct().toList();
    this.rootNamespace = Objects.requireNonNull(rootNamespace, "rootNamespace");
    this.onUpdate = Objects.requireNonNull(onUpdate, "onUpdate");
    this.current = PolicySet.of(List.of(), rootNamespace);
  }

  /** {@link #start(Duration)} with {@link #DEFAULT_START_TIMEOUT}. */
  public void start() {
    start(DEFAULT_START_TIMEOUT);
  }

  /**
   * Starts the informers and returns once their first listing is cached and converted. A kind and version
   * the API server does not serve (v1 before Istio 1.22) is logged and skipped.
   *
   * @throws KubernetesClientException when a listing fails, or has not arrived within {@code timeout} (an API
   *     server that cannot be reached); the informers are closed then
   */
  public synchronized void start(Duration timeout) {
    Map<SharedIndexInformer<? extends HasMetadata>, CompletableFuture<Void>> listings = new LinkedHashMap<>();
    for (Class<? extends HasMetadata> type : IstioKinds.TYPES) {
      for (String ns : namespaces.isEmpty() ? java.util.Collections.<String>singletonList(null) : namespaces) {
        SharedIndexInformer<? extends HasMetadata> informer = informer(type, ns);
        listings.put(informer, informer.start().toCompletableFuture());
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<SharedIndexInformer<? extends HasMetadata>, CompletableFuture<Void>> e : listings.entrySet()) {
      try {
        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        informers.add(e.getKey());
      } catch (ExecutionException failed) {
        if (failed.getCause() instanceof KubernetesClientException k && k.getCode() == 404) {
          log.warn("not watching {}: the API server does not serve it", IstioKinds.describe(e.getKey().getApiTypeClass()));
          e.getKey().close();
          continue;
        }
        listings.keySet().forEach(SharedIndexInformer::close);
        throw failed.getCause() instanceof KubernetesClientException k ? k
            : new KubernetesClientException("listing Istio policies failed: " + failed.getCause(), failed.getCause());
      } catch (TimeoutException | InterruptedException stuck) {
        listings.keySet().forEach(SharedIndexInformer::close);
        if (stuck instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new KubernetesClientException("no listing of Istio policies from " + client.getMasterUrl() + " within "
            + timeout.toSeconds() + " s; is the API server reachable?");
      }
    }
    for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
      for (HasMetadata object : informer.getStore().list()) {
        apply(object, false);
      }
    }
    started = true;
    publish();
  }

  private <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type, String ns) {
    var resources = client.resources(type);
    SharedIndexInformer<T> informer = (ns == null ? resources.inAnyNamespace() : resources.inNamespace(ns))
        .runnableInformer(0);
    informer.addEventHandler(new Events<>());
    return informer;
  }

  /** The newest snapshot. */
  public PolicySet current() {
    return current;
  }

  /** Resources rejected as invalid since the start. */
  public long rejected() {
    return rejected.get();
  }

  /** The message of the latest rejection, or null if none. */
  public String lastError() {
    return lastError;
  }

  @Override
  public synchronized void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }

  private synchronized void apply(HasMetadata object, boolean deleted) {
    String key = object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    Entry before = entries.get(key);
    if (deleted) {
      if (entries.remove(key) != null && started) {
        publish();
      }
      return;
    }
    String version = object.getMetadata().getResourceVersion();
    if (before != null && version != null && version.equals(before.resourceVersion())) {
      return; // seen already: the initial listing replayed, or the same object through its other API version
    }
    JsonNode tree = client.getKubernetesSerialization().convertValue(object, JsonNode.class);
    try {
      entries.put(key, new Entry(ResourceConverter.convert(tree, ORIGIN, 1), false, version));
      if (started) {
        publish(); // compiles: a value the readers accept but the compiler refuses lands in the catch below
      }
    } catch (PolicyLoadException | IllegalArgumentException e) {
      restore(key, before);
      reject(key, tree, before, version, e.getMessage());
    }
  }

  private void reject(String key, JsonNode object, Entry before, String version, String message) {
    rejected.incrementAndGet();
    lastError = message;
    boolean authz = "AuthorizationPolicy".equals(object.path("kind").asText());
    if (before != null) {
      log.error("{} rejected; keeping {}", message, before.failClosed()
          ? "the DENY-all that stands in for it" : "its last good version");
    } else if (!started && authz) {
      log.error("{} rejected; denying all requests it selects until it is fixed", message);
      entries.put(key, new Entry(List.of(denyAll(object)), true, version));
    } else {
      log.error("{} rejected; left out, the policies in force are unchanged", message);
    }
  }

  private void restore(String key, Entry before) {
    if (before == null) {
      entries.remove(key);
    } else {
      entries.put(key, before);
    }
  }

  private void publish() {
    List<PolicyResource> all = new ArrayList<>();
    entries.values().forEach(e -> all.addAll(e.resources()));
    PolicySet next = PolicySet.of(all, rootNamespace);
    current = next;
    log.debug("policy snapshot rebuilt: {} resources", all.size());
    onUpdate.accept(next);
  }

  private static PolicyResource denyAll(JsonNode ap) {
    Map<String, String> selector = new LinkedHashMap<>();
    ap.path("spec").path("selector").path("matchLabels").fields()
        .forEachRemaining(f -> selector.put(f.getKey(), f.getValue().asText()));
    ResourceMeta meta = new ResourceMeta("AuthorizationPolicy", ap.path("metadata").path("namespace").asText(),
        ap.path("metadata").path("name").asText(), null, ORIGIN);
    return new AuthorizationPolicyResource(meta, selector, AuthzAction.DENY,
        List.of(new AuthorizationPolicyResource.Rule(List.of(), List.of(), List.of())));
  }

  private final class Events<T extends HasMetadata> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      apply(obj, false);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      apply(newObj, false);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      apply(obj, true);
    }
  }
}
