package dev.meshid.ca;

import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.keysource.AutoRotation;
import dev.meshid.ca.keysource.CacertsDirKeySource;
import dev.meshid.ca.keysource.CacertsDirOptions;
import dev.meshid.ca.keysource.DirRootStore;
import dev.meshid.ca.keysource.KeySource;
import dev.meshid.ca.keysource.KubernetesSecretKeySource;
import dev.meshid.ca.keysource.KubernetesSecretOptions;
import dev.meshid.ca.keysource.RootLayout;
import dev.meshid.ca.keysource.SecretRootStore;
import dev.meshid.ca.keysource.SelfSignedKeySource;
import dev.meshid.ca.keysource.SelfSignedOptions;
import dev.meshid.ca.config.ConfigException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the key source the configuration names; otherwise a self-signed root, kept in the
 * {@code istio-ca-secret} secret when a Kubernetes client is configured (so replicas share it), else in the
 * default directory.
 */
final class KeySources {
    private static final Logger LOG = LoggerFactory.getLogger(KeySources.class);

    private KeySources() {
    }

    static KeySource fromConfig(CaConfig config, Optional<KubernetesClient> kube, Clock clock,
                                ScheduledExecutorService scheduler, AutoRotation rotation) throws ConfigException {
        if (config.cacertsDir().isPresent()) {
            return new CacertsDirKeySource(config.cacertsDir().get(), CacertsDirOptions.defaults(), clock, scheduler);
        }
        if (config.k8sCacertsSecret().isPresent()) {
            CaConfig.SecretRef ref = config.k8sCacertsSecret().get();
            KubernetesClient client = kube.orElseThrow(() -> new ConfigException("k8sCacertsSecret "
                    + "(--k8s-cacerts-secret) = \"" + ref + "\" needs a Kubernetes client; set --kubeconfig or run "
                    + "the CA inside the cluster"));
            return new KubernetesSecretKeySource(client, KubernetesSecretOptions.defaults(ref.namespace())
                    .withName(ref.name()), clock, scheduler);
        }
        if (config.selfSignedDir().isEmpty() && kube.isPresent()) {
            // As istiod does: replicas share one self-signed root through the istio-ca-secret secret.
            LOG.info("no key source configured: using a self-signed root kept in the secret {}/{}",
                    config.namespace(), SecretRootStore.ISTIO_CA_SECRET);
            return new SelfSignedKeySource(SecretRootStore.istioCaSecret(kube.get(), config.namespace()),
                    SelfSignedOptions.defaults(config.trustDomain()), clock, scheduler, Optional.of(rotation));
        }
        Path dir = config.selfSignedDir().orElse(CaConfig.DEFAULT_SELF_SIGNED_DIR);
        if (config.selfSignedDir().isEmpty()) {
            LOG.info("no key source configured (--cacerts-dir, --k8s-cacerts-secret or --self-signed-dir): using a "
                    + "self-signed root kept in {}", dir.toAbsolutePath());
        }
        return new SelfSignedKeySource(new DirRootStore(dir, RootLayout.MESHID),
                SelfSignedOptions.defaults(config.trustDomain()), clock, scheduler, Optional.of(rotation));
    }
}
