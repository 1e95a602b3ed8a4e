package dev.meshid.ca.bundle;

import dev.meshid.pki.bundle.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ConfigMap {@code istio-ca-root-cert} (data {@code root-cert.pem} = the trust bundle, label
 * {@code istio.io/config: "true"}) current in every namespace, as istiod does: new namespaces get it at once,
 * edited or deleted copies are repaired, and {@link #update} pushes a new bundle everywhere. Terminating
 * namespaces are skipped.
 *
 * <p>Only the replica that holds the Lease (fabric8 {@code LeaderElector} with a {@code LeaseLock} in the
 * CA's namespace) writes; the others wait as candidates. The leader reacts to namespace and ConfigMap
 * informer events at once, and every {@link RootPublisherOptions#resyncPeriod} lists all namespaces and
 * copies and repairs what a lost watch missed. All writes run on the injected scheduler; a failed write is
 * retried after the retry period.
 */
public final class RootPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RootPublisher.class);

    private final KubernetesClient client;
    private final RootPublisherOptions options;
    private final ScheduledExecutorService scheduler;
    private final RootConfigMaps configMaps;
    private volatile String pem;
    private volatile boolean leading;
    private volatile boolean closed;
    private CompletableFuture<?> election;
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<ConfigMap> copies;
    private ScheduledFuture<?> resync;

    public RootPublisher(KubernetesClient client, RootPublisherOptions options, ScheduledExecutorService scheduler) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.configMaps = new RootConfigMaps(client);
    }

    /** Joins the leader election; non-blocking. Publishing starts when this replica leads. */
    public synchronized void start() {
        if (election != null) {
            throw new IllegalStateException("the root publisher was already started");
        }
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> scheduler.execute(this::startLeading),
                () -> scheduler.execute(this::stopLeading),
                leader -> LOG.info("root publisher: the leader is now {}{}", leader,
                        leader.equals(options.identity()) ? " (this replica)" : ""));
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(options.leaseName())
                .withLock(new LeaseLock(options.namespace(), options.leaseName(), options.identity()))
                .withLeaseDuration(options.leaseDuration())
                .withRenewDeadline(options.renewDeadline())
                .withRetryPeriod(options.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(callbacks)
                .build()).build().start();
    }

    /** The trust bundle to publish; a change reaches every namespace (once this replica leads). */
    public void update(TrustBundle bundle) {
        String next = Objects.requireNonNull(bundle, "bundle").toPem();
        if (next.equals(pem)) {
            return;
        }
        pem = next;
        scheduler.execute(this::publishEverywhere);
    }

    /** Whether this replica currently holds the lease and publishes. */
    public boolean isLeader() {
        return leading;
    }

    private synchronized void startLeading() {
        if (closed || leading) {
            return;
        }
        leading = true;
        LOG.info("root publisher: {} leads; keeping {} current in every namespace", options.identity(),
                RootConfigMaps.NAME);
        namespaces = client.namespaces().runnableInformer(0);
        namespaces.addEventHandler(handler(ns -> {
            if (!RootConfigMaps.terminating(ns)) {
                scheduleReconcile(ns.getMetadata().getName(), 0);
            }
        }, ns -> { }));
        copies = client.configMaps().inAnyNamespace().withField("metadata.name", RootConfigMaps.NAME)
                .runnableInformer(0);
        copies.addEventHandler(handler(cm -> {
            String p = pem;
            if (p != null && !RootConfigMaps.upToDate(cm, p)) {
                scheduleReconcile(cm.getMetadata().getNamespace(), 0);
            }
        }, cm -> scheduleReconcile(cm.getMetadata().getNamespace(), 0)));
        namespaces.start();
        copies.start();
        long every = options.resyncPeriod().toMillis();
        resync = scheduler.scheduleWithFixedDelay(this::publishEverywhere, 0, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void stopLeading() {
        if (!leading) {
            return;
        }
        leading = false;
        LOG.info("root publisher: {} stopped leading", options.identity());
        stopWatching();
    }

    private void stopWatching() {
        if (resync != null) {
            resync.cancel(false);
        }
        if (namespaces != null) {
            namespaces.close();
        }
        if (copies != null) {
            copies.close();
        }
    }

    /** Lists every namespace and copy, and repairs every copy that is missing or differs. */
    private void publishEverywhere() {
        String p = pem;
        if (!leading || closed || p == null) {
            return;
        }
        try {
            Map<String, ConfigMap> byNamespace = client.configMaps().inAnyNamespace()
                    .withField("metadata.name", RootConfigMaps.NAME).list().getItems().stream()
                    .collect(Collectors.toMap(cm -> cm.getMetadata().getNamespace(), cm -> cm, (a, b) -> a));
            for (Namespace ns : client.namespaces().list().getItems()) {
                ConfigMap cm = byNamespace.get(ns.getMetadata().getName());
                if (!RootConfigMaps.terminating(ns) && (cm == null || !RootConfigMaps.upToDate(cm, p))) {
                    reconcile(ns.getMetadata().getName());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("root publisher: cannot list namespaces or {} copies ({}); retrying in {}", RootConfigMaps.NAME,
                    e.getMessage(), options.resyncPeriod());
        }
    }

    private void scheduleReconcile(String namespace, long delayMillis) {
        if (leading && !closed) {
            scheduler.schedule(() -> reconcile(namespace), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void reconcile(String namespace) {
        String p = pem;
        if (!leading || closed || p == null) {
            return;
        }
        try {
            Namespace ns = client.namespaces().withName(namespace).get();
            if (ns == null || RootConfigMaps.terminating(ns)) {
                return;
            }
            RootConfigMaps.Outcome o = configMaps.reconcile(namespace, p);
            if (o != RootConfigMaps.Outcome.UNCHANGED) {
                LOG.info("root publisher: {} {}/{}", o == RootConfigMaps.Outcome.CREATED ? "created" : "repaired",
                        namespace, RootConfigMaps.NAME);
            }
        } catch (RuntimeException e) {
            LOG.warn("root publisher: cannot write {}/{} ({}); retrying in {}", namespace, RootConfigMaps.NAME,
                    e.getMessage(), options.retryPeriod());
            scheduleReconcile(namespace, options.retryPeriod().toMillis());
        }
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange, Consumer<T> onDelete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onDelete.accept(obj);
            }
        };
    }

    /** Leaves the election (releasing the lease if held) and stops writing. */
    @Override
    public synchronized void close() {
        closed = true;
        leading = false;
        if (election != null) {
            election.cancel(true);
        }
        stopWatching();
    }
}
