package dev.meshid.ca.rotate;

import dev.meshid.ca.keysource.SecretData;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * The plug-in files in a Kubernetes secret (the CA's {@code --k8s-cacerts-secret}): one update of the secret
 * replaces the whole set, guarded by the resourceVersion read, so a concurrent change is never overwritten.
 */
public final class SecretCacertsStore implements CacertsStore {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private Secret lastRead;

    public SecretCacertsStore(KubernetesClient client, String namespace, String name) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String describe() {
        return "secret:" + namespace + "/" + name;
    }

    @Override
    public synchronized Map<String, String> read() throws IOException {
        Secret s;
        try {
            s = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new IOException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
        if (s == null) {
            throw new IOException(describe() + " does not exist; pass the secret the CA reads (--k8s-cacerts-secret)");
        }
        lastRead = s;
        return SecretData.decode(s);
    }

    @Override
    public synchronized void replace(Map<String, String> expected, Map<String, String> files) throws IOException {
        if (lastRead == null || !SecretData.decode(lastRead).equals(expected)) {
            throw new IOException("read " + describe() + " before replacing it");
        }
        Secret next = new SecretBuilder(lastRead).withData(SecretData.encode(files)).withStringData(null).build();
        try {
            lastRead = client.secrets().inNamespace(namespace).resource(next).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new IOException(describe() + " changed while this step ran; run it again", e);
            }
            throw new IOException("cannot update " + describe() + ": " + e.getMessage(), e);
        }
    }
}
