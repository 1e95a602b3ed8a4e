package dev.meshid.ca.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * When a CA that owns its root (self-signed) rotates it by itself, on the same principle as an operator with
 * {@code meshid ca rotate}: a new root joins the bundle once {@code addAtRemaining} of the old root's life is
 * left; signing moves to it once every connected agent (at least one) acked a bundle holding it, or
 * {@code ackGrace} after it was made (its NotBefore), whichever comes first; the old root leaves once no valid leaf depends on it. Pure:
 * every decision is a function of the report and {@code now}.
 *
 * @param addAtRemaining fraction of the signing root's life left when the next root is made, in (0, 1)
 * @param ackGrace the longest wait for agents' acks before switching anyway
 */
public record AutoRotationPolicy(double addAtRemaining, Duration ackGrace) {

    public AutoRotationPolicy {
        if (!(addAtRemaining > 0 && addAtRemaining < 1)) {
            throw new IllegalArgumentException("the fraction of the root's life left at which a new root is added "
                    + "must be between 0 and 1 (exclusive), got " + addAtRemaining);
        }
        Objects.requireNonNull(ackGrace, "ackGrace");
        if (ackGrace.isNegative()) {
            throw new IllegalArgumentException("the grace period for agents' acks must not be negative, got " + ackGrace);
        }
    }

    /** What to do now. */
    public sealed interface Action permits Hold, AddRoot, SwitchSigner, DropRoot {
    }

    /** Nothing until {@code until} (or until the agents' acks change). */
    public record Hold(Instant until, String why) implements Action {
    }

    /** Make a new root (new key) and add it to the bundle; keep signing with the current one. */
    public record AddRoot(String why) implements Action {
    }

    /** Sign with the root with {@code fingerprint}. */
    public record SwitchSigner(String fingerprint, String why) implements Action {
    }

    /** Remove the root with {@code fingerprint} from the bundle. */
    public record DropRoot(String fingerprint, String why) implements Action {
    }

    public Action decide(RotationReport report, Instant now) {
        RotationState s = report.state();
        RootStatus signing = s.roots().stream().filter(RootStatus::signing).findFirst().orElseThrow();
        return switch (s.step()) {
            case NONE -> {
                Instant addAt = addAt(signing);
                yield now.isBefore(addAt) ? new Hold(addAt, "the root has more than " + addAtRemaining
                        + " of its life left") : new AddRoot("the root " + signing.fingerprint() + " has "
                        + addAtRemaining + " of its life left or less");
            }
            case NEW_ROOT_ADDED -> {
                RootStatus next = s.otherRoots().stream().max(Comparator.comparing(RootStatus::notBefore)).orElseThrow();
                int lacking = report.lacking(next.fingerprint()).size();
                Instant graceEnd = next.notBefore().plus(ackGrace);
                // No agent connected is no evidence: agents may be on another replica or reconnecting after a restart.
                if (lacking == 0 && report.agentsConnected() > 0) {
                    yield new SwitchSigner(next.fingerprint(), "every connected agent (" + report.agentsConnected()
                            + ") acked a bundle holding the new root");
                }
                if (!now.isBefore(graceEnd) || !now.isBefore(signing.notAfter())) {
                    yield new SwitchSigner(next.fingerprint(), "the grace period ended at " + graceEnd + " with "
                            + lacking + " agent(s) not having acked the new root");
                }
                yield new Hold(graceEnd, report.agentsConnected() == 0 ? "no agent is connected to ack the new root"
                        : lacking + " agent(s) have not acked the new root");
            }
            case SIGNER_SWITCHED -> {
                List<RootStatus> old = s.otherRoots();
                RootStatus first = old.stream().min(Comparator.comparing(RootStatus::noLeafDependsAfter)).orElseThrow();
                yield now.isBefore(first.noLeafDependsAfter()) ? new Hold(first.noLeafDependsAfter(),
                        "a leaf issued under the old root may still be valid")
                        : new DropRoot(first.fingerprint(), "no valid leaf depends on it since "
                        + first.noLeafDependsAfter());
            }
        };
    }

    /** When a new root is due beside {@code root}. */
    Instant addAt(RootStatus root) {
        long life = Duration.between(root.notBefore(), root.notAfter()).toSeconds();
        return root.notAfter().minusSeconds((long) Math.floor(life * addAtRemaining));
    }
}
