package dev.meshid.demo;

import java.util.Objects;

/**
 * What one step saw, and whether that is what it expected.
 *
 * @param ok whether the step passed
 * @param observed the value seen, for the step's output line (e.g. {@code 403 RBAC: access denied})
 */
public record Observation(boolean ok, String observed) {
    public Observation {
        Objects.requireNonNull(observed, "observed");
    }

    /** A pass, with what was seen. */
    public static Observation pass(String observed) {
        return new Observation(true, observed);
    }

    /** A failure, with what was seen instead. */
    public static Observation fail(String observed) {
        return new Observation(false, observed);
    }

    /** A pass when {@code ok}, else a failure; both with {@code observed}. */
    public static Observation of(boolean ok, String observed) {
        return new Observation(ok, observed);
    }
}
