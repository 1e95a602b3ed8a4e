package dev.meshid.ca.keysource;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link RootStore} in a Kubernetes secret (by default Istio's {@code istio-ca-secret} in the CA's
 * namespace, laid out as Istio stores it: {@code ca-cert.pem}, {@code ca-key.pem}, {@code cert-chain.pem},
 * {@code root-cert.pem}), so that every replica signs with the same key. Creation is create-if-absent: when
 * two replicas race, the API server answers the loser 409 and the loser adopts the winner's root.
 * Replacement is conditional on the resourceVersion that was read.
 */
public final class SecretRootStore implements RootStore {
    /** Istio's name for the self-signed CA's secret. */
    public static final String ISTIO_CA_SECRET = "istio-ca-secret";
    static final String SECRET_TYPE = "istio.io/ca-root";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public SecretRootStore(KubernetesClient client, String namespace, String name) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = requireName(namespace, "namespace");
        this.name = requireName(name, "secret name");
    }

    /** The store Istio uses: {@code istio-ca-secret} in {@code namespace}. */
    public static SecretRootStore istioCaSecret(KubernetesClient client, String namespace) {
        return new SecretRootStore(client, namespace, ISTIO_CA_SECRET);
    }

    @Override
    public String describe() {
        return "secret:" + namespace + "/" + name;
    }

    @Override
    public RootLayout layout() {
        return RootLayout.ISTIO;
    }

    @Override
    public Optional<Map<String, String>> read() throws IOException {
        return Optional.ofNullable(get()).map(SecretData::decode);
    }

    @Override
    public Map<String, String> createIfAbsent(Map<String, String> files) throws IOException {
        Secret secret = new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels("app.kubernetes.io/managed-by", "meshid").endMetadata()
                .withType(SECRET_TYPE).withData(SecretData.encode(files)).build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            return new TreeMap<>(files);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw unavailable("create", e);
            }
        }
        Secret winner = get();
        if (winner == null) {
            throw new IOException(describe() + ": creating it conflicted, but it is gone now; retrying later");
        }
        return SecretData.decode(winner);
    }

    @Override
    public Map<String, String> replace(Map<String, String> expected, Map<String, String> next) throws IOException {
        Secret current = get();
        if (current == null) {
            return createIfAbsent(next);
        }
        if (!SecretData.decode(current).equals(new TreeMap<>(expected))) {
            return SecretData.decode(current);
        }
        Secret updated = new SecretBuilder(current).withData(SecretData.encode(next)).withStringData(null).build();
        try {
            // update() sends the resourceVersion read above, so a concurrent writer makes this a 409.
            client.secrets().inNamespace(namespace).resource(updated).update();
            return new TreeMap<>(next);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw unavailable("update", e);
            }
        }
        Secret winner = get();
        return winner == null ? createIfAbsent(next) : SecretData.decode(winner);
    }

    private Secret get() throws IOException {
        try {
            return client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw unavailable("read", e);
        }
    }

    private IOException unavailable(String what, KubernetesClientException e) {
        return new IOException("cannot " + what + " " + describe() + " (HTTP " + e.getCode() + "): "
                + e.getMessage(), e);
    }

    private static String requireName(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the " + what + " of the CA secret must not be empty");
        }
        return v;
    }

    @Override
    public String toString() {
        return describe();
    }
}
