package dev.meshid.ca.bundle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;

/**
 * The mechanism of {@link RootPublisher}: what the {@code istio-ca-root-cert} ConfigMap of a namespace must
 * hold, and the API calls that make it so. Only the data key and the label are enforced; other keys,
 * labels and annotations that users add are left alone.
 */
final class RootConfigMaps {
    static final String NAME = "istio-ca-root-cert";
    static final String DATA_KEY = "root-cert.pem";
    static final String LABEL_KEY = "istio.io/config";
    static final String LABEL_VALUE = "true";

    enum Outcome { CREATED, REPAIRED, UNCHANGED }

    private final KubernetesClient client;

    RootConfigMaps(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Whether this copy holds exactly {@code pem} and carries the label. */
    static boolean upToDate(ConfigMap cm, String pem) {
        Map<String, String> data = cm.getData();
        Map<String, String> labels = cm.getMetadata().getLabels();
        return data != null && pem.equals(data.get(DATA_KEY)) && labels != null
                && LABEL_VALUE.equals(labels.get(LABEL_KEY));
    }

    /** Terminating namespaces refuse new objects and are about to lose them anyway. */
    static boolean terminating(Namespace ns) {
        return ns.getMetadata().getDeletionTimestamp() != null
                || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
    }

    /** Makes the namespace's copy hold {@code pem}. */
    Outcome reconcile(String namespace, String pem) {
        ConfigMap current = client.configMaps().inNamespace(namespace).withName(NAME).get();
        if (current == null) {
            try {
                client.configMaps().inNamespace(namespace).resource(fresh(namespace, pem)).create();
                return Outcome.CREATED;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                current = client.configMaps().inNamespace(namespace).withName(NAME).get();
                if (current == null) {
                    throw e;
                }
            }
        }
        if (upToDate(current, pem)) {
            return Outcome.UNCHANGED;
        }
        ConfigMap repaired = new ConfigMapBuilder(current).editMetadata().addToLabels(LABEL_KEY, LABEL_VALUE)
                .endMetadata().addToData(DATA_KEY, pem).build();
        // update() carries the resourceVersion read above: a concurrent edit makes this a 409, retried later.
        client.configMaps().inNamespace(namespace).resource(repaired).update();
        return Outcome.REPAIRED;
    }

    private static ConfigMap fresh(String namespace, String pem) {
        return new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToLabels(LABEL_KEY, LABEL_VALUE).endMetadata().addToData(DATA_KEY, pem).build();
    }
}
