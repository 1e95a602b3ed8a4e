package dev.meshid.ca.authn;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** {@link PodDirectory} over the fabric8 client, every call bounded by the timeout. */
public final class KubernetesPodDirectory implements PodDirectory {
    private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

    private final KubernetesClient client;
    private final BoundedCalls calls;
    private final Duration timeout;

    public KubernetesPodDirectory(KubernetesClient client, BoundedCalls calls, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Optional<Placement> pod(String namespace, String name) throws AuthenticationException {
        Pod pod = calls.call(ImpersonationPolicy.NAME, "get pod " + namespace + "/" + name, timeout, () -> {
            try {
                return client.pods().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                throw unavailable("get pod " + namespace + "/" + name, e);
            }
        });
        if (pod == null) {
            return Optional.empty();
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return Optional.of(new Placement(String.valueOf(pod.getMetadata().getUid()), Optional.ofNullable(node)));
    }

    @Override
    public boolean runsOn(String node, String namespace, String serviceAccount) throws AuthenticationException {
        String what = "list pods of " + namespace + " on node " + node;
        return calls.call(ImpersonationPolicy.NAME, what, timeout, () -> {
            try {
                return client.pods().inNamespace(namespace).withField("spec.nodeName", node).list().getItems()
                        .stream().anyMatch(p -> runs(p, node, serviceAccount));
            } catch (KubernetesClientException e) {
                throw unavailable(what, e);
            }
        });
    }

    private static boolean runs(Pod pod, String node, String serviceAccount) {
        // Re-checks the node: a server that ignored the field selector must not widen the grant.
        return pod.getSpec() != null && node.equals(pod.getSpec().getNodeName())
                && serviceAccount.equals(pod.getSpec().getServiceAccountName())
                && (pod.getStatus() == null || !FINISHED.contains(pod.getStatus().getPhase()))
                && pod.getMetadata().getDeletionTimestamp() == null;
    }

    private static AuthenticationException unavailable(String what, KubernetesClientException e) {
        return AuthenticationException.unavailable(ImpersonationPolicy.NAME, KubernetesErrors.explain(what, e), e);
    }
}
