package dev.meshid.pki.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpiffeIdTest {
    private static final String TD_255 = "a".repeat(251) + ".org";
    private static final String TD_256 = "a".repeat(252) + ".org";
    /** {@code spiffe://td/} is 12 bytes; the rest of the budget of 2048 is path. */
    private static final String ID_2048 = "spiffe://td/" + "p".repeat(2048 - 12);
    private static final String ID_2049 = "spiffe://td/" + "p".repeat(2049 - 12);

    static Stream<String> valid() {
        return Stream.of(
                "spiffe://example.org",
                "spiffe://example.org/workload",
                "spiffe://cluster.local/ns/default/sa/web",
                "spiffe://cluster.local/ns/istio-system/sa/istiod-service-account",
                "spiffe://a-b_c.d9/x",
                "spiffe://td/UPPER/lower/09",
                "spiffe://td/._-",
                "spiffe://td/..a/a..",
                "spiffe://td/.hidden",
                "spiffe://10.0.0.1/x",
                "spiffe://" + TD_255,
                "spiffe://" + TD_255 + "/ns/a/sa/b",
                ID_2048);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("", "the SPIFFE ID is empty"),
                bad(null, "the SPIFFE ID is empty"),
                bad("SPIFFE://td/x", "the scheme must be lowercase \"spiffe\""),
                bad("Spiffe://td", "the scheme must be lowercase \"spiffe\""),
                bad("http://td/x", "the scheme must be \"spiffe://\""),
                bad("td/ns/a", "the scheme must be \"spiffe://\""),
                bad("spiffe:/td/x", "the scheme must be \"spiffe://\""),
                bad(" spiffe://td/x", "the scheme must be \"spiffe://\""),
                bad("spiffe://TD/x", "the trust domain must be lowercase (found 'T')"),
                bad("spiffe://exAmple.org", "the trust domain must be lowercase (found 'A')"),
                bad("spiffe://", "the trust domain is empty"),
                bad("spiffe:///ns/a", "the trust domain is empty"),
                bad("spiffe://td/", "the path may not end with '/'"),
                bad("spiffe://td/a/b/", "the path may not end with '/'"),
                bad("spiffe://td//a", "empty segment ('//')"),
                bad("spiffe://td/a//b", "empty segment ('//')"),
                bad("spiffe://td/.", "may not contain a '.' segment"),
                bad("spiffe://td/a/./b", "may not contain a '.' segment"),
                bad("spiffe://td/..", "may not contain a '..' segment"),
                bad("spiffe://td/a/../b", "may not contain a '..' segment"),
                bad("spiffe://td/a%20b", "the path may not be percent-encoded"),
                bad("spiffe://td%2e/x", "the trust domain may hold only a-z, 0-9, '.', '-' and '_' (found '%')"),
                bad("spiffe://td:8443/x", "the trust domain may not carry a port"),
                bad("spiffe://user@td/x", "the trust domain may not carry user info"),
                bad("spiffe://td/x?a=b", "a SPIFFE ID may not have a query"),
                bad("spiffe://td?a=b", "a SPIFFE ID may not have a query"),
                bad("spiffe://td/x#frag", "a SPIFFE ID may not have a fragment"),
                bad("spiffe://td#frag", "a SPIFFE ID may not have a fragment"),
                bad("spiffe://td/a b", "the path may hold only a-z, A-Z, 0-9, '.', '-' and '_' (found ' ')"),
                bad("spiffe://td/caf\u00e9", "(found U+00E9)"),
                bad("spiffe://t\u00e9/x", "the trust domain may hold only a-z, 0-9, '.', '-' and '_' (found U+00E9)"),
                bad("spiffe://td/x\n", "(found U+000A)"),
                bad("spiffe://td/a:b", "(found ':')"),
                bad("spiffe://" + TD_256, "the trust domain is longer than 255 bytes"),
                bad("spiffe://" + TD_256 + "/x", "the trust domain is longer than 255 bytes"),
                bad(ID_2049, "the SPIFFE ID is longer than 2048 bytes"));
    }

    private static Arguments bad(String id, String rule) {
        return Arguments.of(id, rule);
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parse_validId_roundTripsThroughToStringAndUri(String id) {
        SpiffeId parsed = SpiffeId.parse(id);

        assertThat(parsed.toString()).isEqualTo(id);
        assertThat(parsed.toUri()).isEqualTo(URI.create(id));
        assertThat(SpiffeId.parse(parsed.toString())).isEqualTo(parsed);
        assertThat(SpiffeId.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void parse_invalidId_throwsNamingTheRule(String id, String rule) {
        assertThatThrownBy(() -> SpiffeId.parse(id)).isInstanceOf(InvalidSpiffeIdException.class)
                .hasMessageContaining(rule);
        assertThat(SpiffeId.isValid(id)).isFalse();
    }

    @Test
    void parse_limitsAreExact_255ByteTrustDomainAnd2048ByteId() {
        assertThat(TD_255).hasSize(255);
        assertThat(TD_256).hasSize(256);
        assertThat(ID_2048).hasSize(2048);
        assertThat(ID_2049).hasSize(2049);
    }

    @Test
    void parse_veryLongInput_quotesOnlyItsStartInTheMessage() {
        assertThatThrownBy(() -> SpiffeId.parse(ID_2049)).hasMessageContaining("...")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    }

    @Test
    void parse_trustDomainOnly_isNotAWorkload() {
        assertThat(SpiffeId.parse("spiffe://example.org").isWorkload()).isFalse();
        assertThat(SpiffeId.parse("spiffe://example.org/w").isWorkload()).isTrue();
    }

    @Test
    void memberOf_comparesTrustDomainsExactly() {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b");

        assertThat(id.memberOf(new TrustDomain("cluster.local"))).isTrue();
        assertThat(id.memberOf(new TrustDomain("cluster.local2"))).isFalse();
        assertThat(id.trustDomain()).isEqualTo(TrustDomain.parse("spiffe://cluster.local"));
    }

    @Test
    void constructor_pathWithoutLeadingSlash_isRejected() {
        TrustDomain td = new TrustDomain("td");

        assertThatThrownBy(() -> new SpiffeId(td, "ns/a")).isInstanceOf(InvalidSpiffeIdException.class)
                .hasMessageContaining("the path must start with '/'");
        assertThatThrownBy(() -> new SpiffeId(null, "/a")).isInstanceOf(InvalidSpiffeIdException.class)
                .hasMessageContaining("the trust domain is missing");
    }

    @Test
    void constructor_nullPath_meansTheTrustDomainId() {
        assertThat(new SpiffeId(new TrustDomain("td"), null)).isEqualTo(SpiffeId.parse("spiffe://td"));
    }

    @Test
    void constructor_pathPushingPastTheLimit_isRejected() {
        TrustDomain td = new TrustDomain("td");

        assertThat(new SpiffeId(td, "/" + "p".repeat(2036))).hasToString(ID_2048);
        assertThatThrownBy(() -> new SpiffeId(td, "/" + "p".repeat(2037)))
                .hasMessageContaining("longer than 2048 bytes");
    }
}
