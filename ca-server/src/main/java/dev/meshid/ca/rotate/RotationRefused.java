package dev.meshid.ca.rotate;

/** A rotation step refused because it would break trust or the input is wrong; the message says what to do. */
public final class RotationRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public RotationRefused(String message) {
        super(message);
    }

    public RotationRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
