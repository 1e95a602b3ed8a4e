package dev.meshid.ca.bundle;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the CA knows of one connected bundle stream, at one moment.
 *
 * @param stream the CA's number for the stream (unique while the CA runs)
 * @param identity the authenticated caller, e.g. the node agent's SPIFFE ID
 * @param peer the remote address
 * @param ackedVersion the last bundle version the agent applied, if any
 * @param ackedRoots fingerprints of the roots in that version (empty when unknown or none)
 * @param ackedCurrent whether that is the CA's current version
 * @param lastError the agent's reason for refusing the last bundle it refused, if its last answer was a refusal
 */
public record AgentView(long stream, String identity, String peer, Optional<String> ackedVersion,
                        Set<String> ackedRoots, boolean ackedCurrent, Optional<String> lastError) {

    public AgentView {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(ackedVersion, "ackedVersion");
        ackedRoots = Set.copyOf(ackedRoots);
        Objects.requireNonNull(lastError, "lastError");
    }
}
