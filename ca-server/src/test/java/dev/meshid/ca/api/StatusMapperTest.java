package dev.meshid.ca.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.CaException;
import dev.meshid.ca.authn.AuthenticationException;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatusMapperTest {
    @ParameterizedTest
    @CsvSource({"INVALID_CSR, INVALID_ARGUMENT", "INVALID_TTL, INVALID_ARGUMENT", "INVALID_METADATA, INVALID_ARGUMENT",
        "NOT_READY, UNAVAILABLE", "SIGNING_FAILED, INTERNAL", "OVERLOADED, RESOURCE_EXHAUSTED"})
    void map_caFailure_givesStatusAndKeepsTheReason(CaException.Kind kind, GrpcStatus expected) {
        StatusMapper.Failure f = StatusMapper.map(new CaException(kind, "why " + kind));

        assertThat(f.status()).isEqualTo(expected);
        assertThat(f.message()).isEqualTo("why " + kind);
    }

    @Test
    void map_authenticationFailure_isOpaque() {
        StatusMapper.Failure f = StatusMapper.map(AuthenticationException.unauthenticated("jwt",
                "audience https://kubernetes.default.svc is not istio-ca"));

        assertThat(f.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(f.message()).isEqualTo("request authenticate failure");
    }

    @Test
    void map_authenticatorUnavailable_isUnavailableWithoutTheReason() {
        StatusMapper.Failure f = StatusMapper.map(AuthenticationException.unavailable("tokenreview",
                "API server at 10.0.0.1 timed out", null));

        assertThat(f.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(f.message()).doesNotContain("10.0.0.1");
    }

    @Test
    void map_unexpectedRuntimeException_isInternalWithGenericMessage() {
        StatusMapper.Failure f = StatusMapper.map(new IllegalStateException("secret detail"));

        assertThat(f.status()).isEqualTo(GrpcStatus.INTERNAL);
        assertThat(f.message()).doesNotContain("secret detail");
    }
}
