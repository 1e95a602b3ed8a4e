package dev.meshid.ca.authn;

import java.util.Objects;

/**
 * An authentication that did not succeed. The {@link #reason()} is for the server log only and names the
 * exact problem (and, where it can, what to change); the client only ever sees {@link #CLIENT_MESSAGE}.
 * The {@link #kind()} is what the transport maps to a status.
 */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The only text a client is told, whatever went wrong. */
    public static final String CLIENT_MESSAGE = "request authenticate failure";

    /** Whether the credentials were bad or could not be checked at this moment. */
    public enum Kind {
        /** The credentials were missing or not acceptable; retrying the same request will not help. */
        UNAUTHENTICATED,
        /** A dependency (API server, JWKS endpoint) was slow or failing; the client should retry. */
        UNAVAILABLE
    }

    private final String authenticator;
    private final Kind kind;
    private final String reason;

    public AuthenticationException(String authenticator, Kind kind, String reason) {
        this(authenticator, kind, reason, null);
    }

    public AuthenticationException(String authenticator, Kind kind, String reason, Throwable cause) {
        super(authenticator + ": " + reason, cause);
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Bad or missing credentials. */
    public static AuthenticationException unauthenticated(String authenticator, String reason) {
        return new AuthenticationException(authenticator, Kind.UNAUTHENTICATED, reason);
    }

    /** A dependency could not answer in time or failed; the client should retry. */
    public static AuthenticationException unavailable(String authenticator, String reason, Throwable cause) {
        return new AuthenticationException(authenticator, Kind.UNAVAILABLE, reason, cause);
    }

    /** The authenticator (or check) that refused, e.g. {@code tokenreview}, {@code cluster-id}. */
    public String authenticator() {
        return authenticator;
    }

    public Kind kind() {
        return kind;
    }

    /** The full reason, for the log. Never send it to the client. */
    public String reason() {
        return reason;
    }
}
