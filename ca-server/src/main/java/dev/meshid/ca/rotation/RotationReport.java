package dev.meshid.ca.rotation;

import dev.meshid.ca.bundle.AgentView;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code /debug/rotation} shows: the rotation state and the node agents' view of the trust bundle.
 *
 * @param state roots, signer and step
 * @param bundleVersion the version of the trust bundle streamed to agents now
 * @param agentsConnected agents with an open bundle stream
 * @param agentsAcked of those, agents that applied {@code bundleVersion}
 * @param agents each connected agent
 */
public record RotationReport(RotationState state, Optional<String> bundleVersion, int agentsConnected,
                             int agentsAcked, List<AgentView> agents) {

    public RotationReport {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(bundleVersion, "bundleVersion");
        agents = List.copyOf(agents);
    }

    /** Connected agents whose applied bundle does not hold the root with {@code fingerprint}. */
    public List<AgentView> lacking(String fingerprint) {
        String fp = fingerprint.toLowerCase(java.util.Locale.ROOT);
        return agents.stream().filter(a -> !a.ackedRoots().contains(fp)).toList();
    }
}
