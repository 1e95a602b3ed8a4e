package dev.meshid.pki.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrustDomainTest {

    @ParameterizedTest
    @ValueSource(strings = {"cluster.local", "example.org", "a", "td-1_x.y", "10.0.0.1"})
    void parse_bareNameOrTrustDomainId_givesTheSameDomain(String name) {
        assertThat(TrustDomain.parse(name).name()).isEqualTo(name);
        assertThat(TrustDomain.parse("spiffe://" + name)).isEqualTo(TrustDomain.parse(name));
        assertThat(TrustDomain.parse(name).id()).hasToString("spiffe://" + name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Cluster.local|the trust domain must be lowercase (found 'C')",
        "cluster.local:15012|the trust domain may not carry a port",
        "me@cluster.local|the trust domain may not carry user info",
        "cluster local|found ' '",
        "cluster/local|found '/'",
        "spiffe://cluster.local/ns/a|a trust domain has no path",
        "spiffe://cluster.local/|the path may not end with '/'",
        "SPIFFE://cluster.local|the trust domain must be lowercase (found 'S')",
        "spiffe://cluster.local?x|a SPIFFE ID may not have a query",
    })
    void parse_invalidName_throwsNamingTheRule(String input, String rule) {
        assertThatThrownBy(() -> TrustDomain.parse(input)).isInstanceOf(InvalidSpiffeIdException.class)
                .hasMessageContaining(rule);
    }

    @Test
    void parse_nullEmptyOrTooLong_isRejected() {
        assertThatThrownBy(() -> TrustDomain.parse(null)).hasMessageContaining("the trust domain is empty");
        assertThatThrownBy(() -> TrustDomain.parse("")).hasMessageContaining("the trust domain is empty");
        assertThat(TrustDomain.parse("d".repeat(255)).name()).hasSize(255);
        assertThatThrownBy(() -> TrustDomain.parse("d".repeat(256))).hasMessageContaining("longer than 255 bytes");
    }

    @Test
    void serviceAccount_buildsTheIstioWorkloadId() {
        SpiffeId id = new TrustDomain("cluster.local").serviceAccount("istio-system", "istiod");

        assertThat(id).hasToString("spiffe://cluster.local/ns/istio-system/sa/istiod");
        assertThat(id.isWorkload()).isTrue();
    }

    @Test
    void serviceAccount_invalidNamespace_isRejected() {
        TrustDomain td = new TrustDomain("cluster.local");

        assertThatThrownBy(() -> td.serviceAccount("", "web")).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> td.serviceAccount("a/..", "web")).hasMessageContaining("'..' segment");
    }

    @Test
    void equalsAndToString_useTheName() {
        assertThat(new TrustDomain("td")).isEqualTo(TrustDomain.parse("spiffe://td")).hasToString("td");
    }
}
