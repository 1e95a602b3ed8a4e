package dev.meshid.ca.rotation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The CA's roots and signer at one instant, and the rotation step they amount to.
 *
 * @param at when this was evaluated
 * @param roots every root of the trust bundle
 * @param signer the signing certificate and its chain
 * @param step the rotation step
 * @param safeToRemoveAt in {@link RotationStep#SIGNER_SWITCHED}, the time after which no valid leaf depends on
 *     any root but the signer's, i.e. when the old roots may leave the bundle
 */
public record RotationState(Instant at, List<RootStatus> roots, SignerStatus signer, RotationStep step,
                            Optional<Instant> safeToRemoveAt) {

    public RotationState {
        Objects.requireNonNull(at, "at");
        roots = List.copyOf(roots);
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(safeToRemoveAt, "safeToRemoveAt");
    }

    /** The root with this fingerprint, if it is in the bundle. */
    public Optional<RootStatus> root(String fingerprint) {
        return roots.stream().filter(r -> r.fingerprint().equalsIgnoreCase(fingerprint)).findFirst();
    }

    /** The roots the signer does not chain to. */
    public List<RootStatus> otherRoots() {
        return roots.stream().filter(r -> !r.signing()).toList();
    }
}
