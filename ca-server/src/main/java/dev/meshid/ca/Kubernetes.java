package dev.meshid.ca;

import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/** The Kubernetes client, when one is configured: from {@code --kubeconfig}, else in-cluster. */
final class Kubernetes {
    private Kubernetes() {
    }

    /** Whether the process runs in a pod (the API server's service environment is set). */
    static boolean inCluster(Map<String, String> env) {
        return env.containsKey("KUBERNETES_SERVICE_HOST");
    }

    static Optional<KubernetesClient> client(CaConfig config, Map<String, String> env) throws ConfigException {
        if (config.kubeconfig().isPresent()) {
            String text;
            try {
                text = Files.readString(config.kubeconfig().get());
            } catch (IOException e) {
                throw new ConfigException("kubeconfig (--kubeconfig, MESHID_KUBECONFIG) = \"" + config.kubeconfig().get()
                        + "\": cannot read the file (" + e.getMessage() + "); give a readable kubeconfig file");
            }
            try {
                return Optional.of(new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(text)).build());
            } catch (RuntimeException e) {
                throw new ConfigException("kubeconfig (--kubeconfig, MESHID_KUBECONFIG) = \"" + config.kubeconfig().get()
                        + "\": not a usable kubeconfig (" + e.getMessage() + ")");
            }
        }
        if (inCluster(env)) {
            return Optional.of(new KubernetesClientBuilder().build());
        }
        return Optional.empty();
    }
}
