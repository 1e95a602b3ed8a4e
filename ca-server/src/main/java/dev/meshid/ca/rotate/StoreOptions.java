package dev.meshid.ca.rotate;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where the CA's plug-in files are: {@code --cacerts-dir DIR} or {@code --secret NS/NAME [--kubeconfig FILE]}. */
final class StoreOptions {
    static final class Where {
        @Option(names = "--cacerts-dir", paramLabel = "DIR", required = true,
                description = "The plug-in CA directory the CA watches (its --cacerts-dir).")
        Path cacertsDir;
        @Option(names = "--secret", paramLabel = "NS/NAME", required = true,
                description = "The Kubernetes secret the CA reads (its --k8s-cacerts-secret).")
        String secret;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubernetes client configuration for --secret "
            + "(default: in-cluster).")
    Path kubeconfig;

    /** The store, and the client to close with it (null for a directory). */
    record Opened(CacertsStore store, KubernetesClient client) implements AutoCloseable {
        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
        }
    }

    Opened open(Clock clock) throws IOException {
        if (where.cacertsDir != null) {
            return new Opened(new DirCacertsStore(where.cacertsDir, clock), null);
        }
        String[] nsName = where.secret.split("/", -1);
        if (nsName.length != 2 || nsName[0].isBlank() || nsName[1].isBlank()) {
            throw new IOException("--secret " + where.secret + ": expected NAMESPACE/NAME, e.g. istio-system/cacerts");
        }
        KubernetesClient client;
        if (kubeconfig != null) {
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } else {
            client = new KubernetesClientBuilder().build();
        }
        return new Opened(new SecretCacertsStore(client, nsName[0], nsName[1]), client);
    }
}
