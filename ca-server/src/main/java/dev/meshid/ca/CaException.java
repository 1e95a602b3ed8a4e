package dev.meshid.ca;

import java.util.Objects;

/**
 * A request the CA could not serve, for a reason other than authentication (which has its own
 * {@code dev.meshid.ca.authn.AuthenticationException}). The {@link Kind} decides the gRPC status at the one
 * transport boundary and the {@code error} label of {@code citadel_server_csr_sign_err_count}; the message is
 * written for the client (what was wrong and what to do) and never holds key material.
 */
public final class CaException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The closed set of failures, with Istio's error label for each. */
    public enum Kind {
        /** The CSR is malformed, unsigned, asks for names or keys policy refuses. */
        INVALID_CSR("CSRError"),
        /** The requested lifetime is above the maximum. */
        INVALID_TTL("TTLError"),
        /** Request metadata the CA does not understand (e.g. an unknown {@code CertSigner}). */
        INVALID_METADATA("InvalidMetadata"),
        /** No signing material has been loaded yet; the client should retry. */
        NOT_READY("CANotReady"),
        /** Signing failed or produced a certificate the validator refused: a CA bug or broken key. */
        SIGNING_FAILED("CertGenError"),
        /** Too many requests in flight; refused at once so the client backs off. */
        OVERLOADED("Overloaded");

        private final String istioLabel;

        Kind(String istioLabel) {
            this.istioLabel = istioLabel;
        }

        /** The value of the {@code error} label, as Istio names its CA errors. */
        public String istioLabel() {
            return istioLabel;
        }
    }

    private final Kind kind;

    public CaException(Kind kind, String message) {
        this(kind, message, null);
    }

    public CaException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
