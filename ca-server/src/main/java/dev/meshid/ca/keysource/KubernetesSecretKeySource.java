package dev.meshid.ca.keysource;

import dev.meshid.pki.bundle.KeyCertBundle;
import dev.meshid.pki.bundle.PluginForm;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio's plug-in CA files held in a Kubernetes secret ({@code cacerts} by default), read through the
 * fabric8 client: on start, on every change a fabric8 informer reports, and every
 * {@link KubernetesSecretOptions#resync} on the injected scheduler in case a watch was lost.
 *
 * <p>Informer events only schedule a sync; a sync reads the secret from the API server, so events handled
 * late or twice can never apply an older state over a newer one, and a broken watch costs at most one resync
 * period. (fabric8's mock server cannot serve watches when Vert.x 5 is on the classpath, fabric8io/
 * kubernetes-client#7174, so the tests exercise the resync path.)
 * The secret's entries go through {@link KeyCertBundle#fromPem}; an invalid secret is refused
 * ({@code onRejected}) and the current bundle stays. A deleted secret keeps the current bundle too, with a
 * loud log and an {@code onRejected}, because a CA that stops signing breaks every workload.
 */
public final class KubernetesSecretKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecretKeySource.class);

    private final KubernetesClient client;
    private final KubernetesSecretOptions options;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Delivery delivery;
    private SharedIndexInformer<Secret> informer;
    private ScheduledFuture<?> resync;
    private boolean missingReported;

    public KubernetesSecretKeySource(KubernetesClient client, KubernetesSecretOptions options, Clock clock,
            ScheduledExecutorService scheduler) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.delivery = new Delivery(name());
    }

    @Override
    public String name() {
        return "kubernetes-secret:" + options.namespace() + "/" + options.name();
    }

    @Override
    public synchronized void start(KeySourceListener listener) {
        delivery.attach(listener);
        informer = client.secrets().inNamespace(options.namespace()).withName(options.name())
                .runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret s) {
                scheduleSync();
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                scheduleSync();
            }

            @Override
            public void onDelete(Secret s, boolean finalStateUnknown) {
                scheduleSync();
            }
        });
        informer.start().whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("{}: cannot watch the secret ({}); reading it every {} instead", name(), error.getMessage(),
                        options.resync());
            }
        });
        long every = options.resync().toMillis();
        resync = scheduler.scheduleWithFixedDelay(this::sync, 0, every, TimeUnit.MILLISECONDS);
    }

    /** How many new secret versions were refused (or losses of the secret reported) since start. */
    public long rejectedCount() {
        return delivery.rejections();
    }

    private void scheduleSync() {
        if (!delivery.isClosed()) {
            scheduler.execute(this::sync);
        }
    }

    private synchronized void sync() {
        if (delivery.isClosed()) {
            return;
        }
        try {
            Secret secret;
            try {
                secret = client.secrets().inNamespace(options.namespace()).withName(options.name()).get();
            } catch (KubernetesClientException e) {
                LOG.warn("{}: cannot read the secret (HTTP {}: {}); keeping the current CA and retrying", name(),
                        e.getCode(), e.getMessage());
                return;
            }
            if (secret == null) {
                if (!missingReported) {
                    missingReported = true;
                    delivery.problem("the secret does not exist (deleted, or not created yet); create it with "
                            + "ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem");
                }
                return;
            }
            missingReported = false;
            Map<String, String> files = pluginEntries(secret);
            delivery.offer(PluginFiles.fingerprint(files), () -> KeyCertBundle.fromPem(files, clock));
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure while reading the secret; retrying on the next event", name(), e);
        }
    }

    /** The secret's plug-in entries; other keys and empty values are left out. */
    private static Map<String, String> pluginEntries(Secret secret) {
        Map<String, String> out = new TreeMap<>();
        SecretData.decode(secret).forEach((k, v) -> {
            if (PluginForm.allFileNames().contains(k) && !v.isBlank()) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public synchronized void close() {
        delivery.close();
        if (resync != null) {
            resync.cancel(false);
        }
        if (informer != null) {
            informer.close();
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
