package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.id.TrustDomain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ServiceAccountUserTest {

    @Test
    void parse_serviceAccountUsername_givesNamespaceNameAndSpiffeId() {
        ServiceAccountUser user = ServiceAccountUser.parse("system:serviceaccount:istio-system:ztunnel").orElseThrow();

        assertThat(user.namespace()).isEqualTo("istio-system");
        assertThat(user.name()).isEqualTo("ztunnel");
        assertThat(user.spiffeId(TrustDomain.parse("cluster.local")))
                .hasToString("spiffe://cluster.local/ns/istio-system/sa/ztunnel");
        assertThat(user.username()).isEqualTo("system:serviceaccount:istio-system:ztunnel");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "admin", "system:node:worker-1", "system:serviceaccount:default",
            "system:serviceaccount:default:web:extra", "system:serviceaccount::web", "system:serviceaccount:default:",
            "system:serviceaccount:Default:web", "system:serviceaccount:de_fault:web",
            "system:serviceaccount:default:web/../admin", "system:serviceaccounts:default:web"})
    void parse_anythingElse_isEmpty(String username) {
        assertThat(ServiceAccountUser.parse(username)).isEmpty();
    }
}
