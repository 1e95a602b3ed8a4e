package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthRequestTest {

    @Test
    void bearerFrom_bearerHeader_givesTheToken() {
        assertThat(AuthRequest.bearerFrom("Bearer abc.def.ghi")).contains("abc.def.ghi");
        assertThat(AuthRequest.bearerFrom("bearer  abc.def.ghi ")).contains("abc.def.ghi");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwYXNz", "abc.def.ghi"})
    void bearerFrom_noBearerToken_isEmpty(String header) {
        assertThat(AuthRequest.bearerFrom(header)).isEmpty();
    }

    @Test
    void toString_neverShowsTheToken() {
        AuthRequest request = AuthRequest.withToken("secret-token-value", "10.0.0.1:1");

        assertThat(request.toString()).doesNotContain("secret-token-value").contains("token=present");
    }
}
