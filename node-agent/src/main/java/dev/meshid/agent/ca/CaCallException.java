package dev.meshid.agent.ca;

import io.grpc.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * Getting a certificate failed: the CA answered with an error status, the call failed on the way, or the
 * answer did not pass {@link ResponseCheck}. The message says what happened; it never holds the token or a key.
 */
public final class CaCallException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The codes Istio's agent retries on (PROTOCOLS.md §1). */
    public static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.CANCELLED,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED,
            Status.Code.INTERNAL, Status.Code.UNAVAILABLE);

    private final Status.Code code;

    public CaCallException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public CaCallException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The gRPC code, or the code that best describes a local failure (e.g. INTERNAL for a bad answer). */
    public Status.Code code() {
        return code;
    }

    /** Whether a quick retry may help (a transient CA or network condition). */
    public boolean retryable() {
        return RETRYABLE.contains(code);
    }
}
