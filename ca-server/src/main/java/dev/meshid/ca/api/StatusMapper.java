package dev.meshid.ca.api;

import dev.meshid.ca.CaException;
import dev.meshid.ca.authn.AuthenticationException;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes a gRPC status (and its log line). Authentication failures are opaque
 * to the client ({@value AuthenticationException#CLIENT_MESSAGE}), complete in the log; bad input gets its
 * reason; anything unexpected is INTERNAL with a generic message and the stack trace in the log.
 */
public final class StatusMapper {
    private static final Logger LOG = LoggerFactory.getLogger(StatusMapper.class);
    static final String INTERNAL_MESSAGE = "internal error in the CA; see the CA log";

    /** The status and the message a client receives. */
    public record Failure(GrpcStatus status, String message) {
    }

    private StatusMapper() {
    }

    /** Maps without logging. */
    public static Failure map(Throwable t) {
        if (t instanceof AuthenticationException e) {
            return e.kind() == AuthenticationException.Kind.UNAVAILABLE
                    ? new Failure(GrpcStatus.UNAVAILABLE, "authentication is temporarily unavailable; retry")
                    : new Failure(GrpcStatus.UNAUTHENTICATED, AuthenticationException.CLIENT_MESSAGE);
        }
        if (t instanceof CaException e) {
            GrpcStatus status = switch (e.kind()) {
                case INVALID_CSR, INVALID_TTL, INVALID_METADATA -> GrpcStatus.INVALID_ARGUMENT;
                case NOT_READY -> GrpcStatus.UNAVAILABLE;
                case SIGNING_FAILED -> GrpcStatus.INTERNAL;
                case OVERLOADED -> GrpcStatus.RESOURCE_EXHAUSTED;
            };
            return new Failure(status, e.getMessage());
        }
        return new Failure(GrpcStatus.INTERNAL, INTERNAL_MESSAGE);
    }

    /** Maps and writes the log line the failure deserves. */
    public static Failure mapAndLog(Throwable t, CallContext call) {
        Failure f = map(t);
        if (t instanceof AuthenticationException e) {
            LOG.warn("{} for {}: {} refused: {}", f.status(), call.peer(), e.authenticator(), e.reason());
        } else if (t instanceof CaException e) {
            switch (e.kind()) {
                case SIGNING_FAILED -> LOG.error("signing failed for {}: {}", call.peer(), e.getMessage(), e.getCause());
                case NOT_READY, OVERLOADED -> LOG.debug("{} for {}: {}", f.status(), call.peer(), e.getMessage());
                default -> LOG.info("{} for {}: {}", f.status(), call.peer(), e.getMessage());
            }
        } else {
            LOG.error("unexpected failure serving {}", call, t);
        }
        return f;
    }
}
