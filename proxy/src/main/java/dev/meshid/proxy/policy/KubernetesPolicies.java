package dev.meshid.proxy.policy;

import dev.meshid.policies.kube.KubernetesPolicySource;
import dev.meshid.proxy.config.ConfigException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes policy source as the proxy runs it: a client, and informers on the workload's namespace and
 * the root namespace whose every good change goes to {@link LivePolicies}. Closing stops both.
 */
public final class KubernetesPolicies implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesPolicies.class);

  private final KubernetesClient client;
  private final KubernetesPolicySource source;

  private KubernetesPolicies(KubernetesClient client, KubernetesPolicySource source) {
    this.client = client;
    this.source = source;
  }

  /**
   * Connects and loads the initial policies into {@code target}; returns once they are in force.
   *
   * @param kubeconfig a kubeconfig file; empty: fabric8's discovery (KUBECONFIG, ~/.kube/config, in-cluster)
   * @throws ConfigException naming {@code --kubeconfig} or {@code --policy-source} when the file cannot be
   *     read or the API server cannot be reached
   */
  public static KubernetesPolicies start(Optional<Path> kubeconfig, String namespace, String rootNamespace,
      LivePolicies target) throws ConfigException {
    Config config;
    if (kubeconfig.isPresent()) {
      try {
        config = Config.fromKubeconfig(Files.readString(kubeconfig.get()));
      } catch (IOException | KubernetesClientException e) {
        throw new ConfigException("--kubeconfig", "cannot read '" + kubeconfig.get() + "': " + e.getMessage());
      }
    } else {
      config = Config.autoConfigure(null);
    }
    return start(config, namespace, rootNamespace, target);
  }

  /** As {@link #start(Optional, String, String, LivePolicies)}, with a client configuration at hand. */
  public static KubernetesPolicies start(Config config, String namespace, String rootNamespace, LivePolicies target)
      throws ConfigException {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory()).build();
    KubernetesPolicySource source = new KubernetesPolicySource(client, List.of(namespace, rootNamespace),
        rootNamespace, target::apply);
    try {
      source.start();
    } catch (KubernetesClientException e) {
      source.close();
      client.close();
      throw new ConfigException("--policy-source", "cannot load policies from the Kubernetes API at "
          + config.getMasterUrl() + ": " + e.getMessage());
    }
    log.info("policies from the Kubernetes API at {}, namespaces {} and {}: {}", config.getMasterUrl(), namespace,
        rootNamespace, source.current());
    return new KubernetesPolicies(client, source);
  }

  /** Resources rejected as invalid since the start. */
  public long rejected() {
    return source.rejected();
  }

  /** The message of the latest rejection (namespace, name, field), or null. */
  public String lastError() {
    return source.lastError();
  }

  @Override
  public void close() {
    source.close();
    client.close();
  }
}
