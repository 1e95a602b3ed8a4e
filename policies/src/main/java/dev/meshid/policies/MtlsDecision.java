package dev.meshid.policies;

import java.util.Objects;

/**
 * The effective PeerAuthentication mode for one workload port.
 *
 * @param mode the mode to enforce, never {@link MtlsMode#UNSET}
 * @param decidedBy the PeerAuthentication that set it, or null when no policy did (PERMISSIVE)
 */
public record MtlsDecision(MtlsMode mode, PolicyRef decidedBy) {
  public MtlsDecision {
    Objects.requireNonNull(mode, "mode");
    if (mode == MtlsMode.UNSET) {
      throw new IllegalArgumentException("an effective mode is never UNSET");
    }
  }
}
