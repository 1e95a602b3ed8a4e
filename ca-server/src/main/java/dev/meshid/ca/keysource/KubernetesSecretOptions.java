package dev.meshid.ca.keysource;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link KubernetesSecretKeySource}.
 *
 * @param namespace the secret's namespace (the CA's, e.g. {@code istio-system})
 * @param name the secret's name; {@code cacerts} by default, as Istio
 * @param resync how often the secret is read even without a watch event (a lost watch costs at most
 *     this long); 30 seconds by default
 */
public record KubernetesSecretOptions(String namespace, String name, Duration resync) {
    public static final String DEFAULT_NAME = "cacerts";
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);

    public KubernetesSecretOptions {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("the namespace of the cacerts secret must be set (the CA's namespace)");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the name of the cacerts secret must not be empty");
        }
        Objects.requireNonNull(resync, "resync");
        if (resync.isNegative() || resync.isZero()) {
            throw new IllegalArgumentException("the cacerts secret resync period must be positive, got " + resync);
        }
    }

    /** Secret {@code cacerts} in {@code namespace}. */
    public static KubernetesSecretOptions defaults(String namespace) {
        return new KubernetesSecretOptions(namespace, DEFAULT_NAME, DEFAULT_RESYNC);
    }

    public KubernetesSecretOptions withName(String n) {
        return new KubernetesSecretOptions(namespace, n, resync);
    }
}
