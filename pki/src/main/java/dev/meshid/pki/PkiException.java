package dev.meshid.pki;

/**
 * The one checked exception of the pki library: malformed or unacceptable input (a PEM block, a CSR, a
 * certificate bundle) or a failed cryptographic operation. The message says what was wrong and, where it
 * can, what to do; it never contains key material.
 */
public class PkiException extends Exception {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
