package dev.meshid.ca.rotation;

/** Where a root rotation stands, from what the CA holds now. */
public enum RotationStep {
    /** One root, and the signer chains to it. */
    NONE("none", 0),
    /** The bundle holds a newer root the signer does not chain to yet: wait for every agent, then switch. */
    NEW_ROOT_ADDED("new-root-added", 1),
    /** The signer chains to the newest root; older roots remain in the bundle until no valid leaf needs them. */
    SIGNER_SWITCHED("signer-switched", 2);

    private final String label;
    private final int gauge;

    RotationStep(String label, int gauge) {
        this.label = label;
        this.gauge = gauge;
    }

    /** The name shown in {@code /debug/rotation} and by {@code meshid ca rotate status}. */
    public String label() {
        return label;
    }

    /** The value of {@code meshid_ca_rotation_step}. */
    public int gauge() {
        return gauge;
    }

    /** The step named {@code label}. */
    public static RotationStep ofLabel(String label) {
        for (RotationStep s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown rotation step \"" + label + "\"");
    }
}
