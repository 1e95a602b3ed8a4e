package dev.meshid.ca.authn;

import java.util.Objects;
import java.util.Optional;

/** The pod facts {@link ImpersonationPolicy} needs; backed by the API server in production. */
public interface PodDirectory {

    /** Where a pod runs. */
    record Placement(String uid, Optional<String> nodeName) {
        public Placement {
            Objects.requireNonNull(uid, "uid");
            nodeName = nodeName == null ? Optional.empty() : nodeName.filter(n -> !n.isBlank());
        }
    }

    /**
     * The pod {@code namespace/name}, or empty when there is none.
     *
     * @throws AuthenticationException of kind UNAVAILABLE when the API server cannot answer in time
     */
    Optional<Placement> pod(String namespace, String name) throws AuthenticationException;

    /**
     * Whether a pod (not finished) of service account {@code namespace/serviceAccount} is scheduled on {@code node}.
     *
     * @throws AuthenticationException of kind UNAVAILABLE when the API server cannot answer in time
     */
    boolean runsOn(String node, String namespace, String serviceAccount) throws AuthenticationException;
}
