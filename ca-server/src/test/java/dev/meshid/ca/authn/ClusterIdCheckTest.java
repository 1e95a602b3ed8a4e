package dev.meshid.ca.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterIdCheckTest {
    private final ClusterIdCheck check = new ClusterIdCheck("Kubernetes", Set.of("east"));

    @Test
    void check_noHeader_isTheOwnCluster() throws Exception {
        assertThat(check.check(AuthRequest.withToken("t", "peer"))).isEqualTo("Kubernetes");
    }

    @Test
    void check_knownClusters_areAccepted() throws Exception {
        assertThat(check.check(AuthRequest.withToken("t", "peer").withClusterId("Kubernetes"))).isEqualTo("Kubernetes");
        assertThat(check.check(AuthRequest.withToken("t", "peer").withClusterId("east"))).isEqualTo("east");
    }

    @Test
    void check_unknownCluster_isRefusedNamingItAndTheKnownOnes() {
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> check.check(AuthRequest.withToken("t", "10.1.2.3:4").withClusterId("west\nforged line")));

        assertThat(e.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(e.authenticator()).isEqualTo("cluster-id");
        assertThat(e.reason()).contains("10.1.2.3:4", "\"west\\u000aforged line\"", "[Kubernetes, east]")
                .doesNotContain("\n");
    }
}
