package dev.meshid.ca.authn;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code clusterid} header check: a request may name this CA's own cluster or another known cluster; a
 * request without the header comes from the own cluster. An unknown cluster is refused, since the CA cannot
 * vouch for identities of a cluster it has no credentials for.
 */
public final class ClusterIdCheck {
    public static final String NAME = "cluster-id";

    private final String ownClusterId;
    private final Set<String> known;

    /**
     * @param ownClusterId this CA's cluster (Istio's default is {@code Kubernetes})
     * @param otherClusters further clusters whose callers are accepted (may be empty)
     */
    public ClusterIdCheck(String ownClusterId, Set<String> otherClusters) {
        if (ownClusterId == null || ownClusterId.isBlank()) {
            throw new IllegalArgumentException("the CA's own cluster id is empty; Istio's default is \""
                    + AuthnDefaults.CLUSTER_ID + "\"");
        }
        this.ownClusterId = ownClusterId;
        Set<String> all = new TreeSet<>(Objects.requireNonNull(otherClusters, "otherClusters"));
        all.add(ownClusterId);
        this.known = Set.copyOf(all);
    }

    /** Only the own cluster. */
    public static ClusterIdCheck ownOnly(String ownClusterId) {
        return new ClusterIdCheck(ownClusterId, Set.of());
    }

    /** The cluster the request comes from, or an exception when it names an unknown one. */
    public String check(AuthRequest request) throws AuthenticationException {
        if (request.clusterId().isEmpty()) {
            return ownClusterId;
        }
        String id = request.clusterId().get();
        if (!known.contains(id)) {
            throw AuthenticationException.unauthenticated(NAME, "request from " + request.peerAddress()
                    + " names cluster " + LogText.quote(id) + ", which this CA does not know (known: "
                    + new TreeSet<>(known) + "); set the agent's ISTIO_META_CLUSTER_ID to the CA's CLUSTER_ID ("
                    + LogText.quote(ownClusterId) + "), or unset it");
        }
        return id;
    }
}
