package dev.meshid.ca.vault;

import java.util.Objects;

/**
 * A Vault call that did not give usable data. The {@link Kind} says what to do about it (retry, fix a
 * policy, fix a path); the message says what happened, where, and what to change. Never holds a token,
 * a secret ID or key material.
 */
public final class VaultFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** The closed set of ways a Vault call fails. */
    public enum Kind {
        /** No HTTP answer: connection refused, DNS, TLS handshake, timeout. Retried. */
        UNREACHABLE,
        /** Vault answered 503 "Vault is sealed" (or {@code sys/health} said so). Retried. */
        SEALED,
        /** Vault is up but cannot serve: not initialized, a DR secondary, a 5xx. Retried. */
        UNAVAILABLE,
        /** HTTP 403: the token's policies do not allow the call, or the token is invalid. */
        PERMISSION_DENIED,
        /** HTTP 404: nothing at that path (wrong mount, path or issuer). */
        NOT_FOUND,
        /** HTTP 400: Vault refused the request's parameters. */
        BAD_REQUEST,
        /** HTTP 200 with a body that is not what Vault's API documents. */
        MALFORMED,
        /** A local credential (token file, service-account token, secret ID file) cannot be read. */
        CREDENTIALS_UNAVAILABLE
    }

    private final Kind kind;
    private final String topic;

    public VaultFailure(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.topic = message;
    }

    /**
     * A failure whose {@code topic} says which rule failed, independent of details that change between
     * attempts (a fresh serial number each time): the same topic is reported once.
     */
    public VaultFailure(Kind kind, String message, String topic) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    public VaultFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.topic = message;
    }

    /** What identifies this failure for reporting it once; the message unless a topic was given. */
    public String topic() {
        return topic;
    }

    public Kind kind() {
        return kind;
    }
}
