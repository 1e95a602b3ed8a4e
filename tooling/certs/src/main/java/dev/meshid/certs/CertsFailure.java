package dev.meshid.certs;

/**
 * A runtime failure of a certs command (exit code 1): the message is the one line the user sees, so it
 * says what went wrong and what to do. Never carries key material.
 */
public final class CertsFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public CertsFailure(String message) {
        super(message);
    }

    public CertsFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
