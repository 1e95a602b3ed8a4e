package dev.meshid.policies;

import static dev.meshid.policies.Fixtures.DETAILS;
import static dev.meshid.policies.Fixtures.PRODUCTPAGE;
import static dev.meshid.policies.Fixtures.REVIEWS_OTHER_NS;
import static dev.meshid.policies.Fixtures.ap;
import static dev.meshid.policies.Fixtures.http;
import static dev.meshid.policies.Fixtures.set;
import static dev.meshid.policies.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AuthorizationPolicy evaluation (PROTOCOLS.md §8), one row per behaviour. */
class AuthorizationTableTest {
  private static final Workload REVIEWS = new Workload("default", Map.of("app", "reviews"));

  private static final String DETAILS_VIEWER = ap("default/details-viewer", """
      {selector: {matchLabels: {app: details}}, action: ALLOW, rules: [{from: [{source: {principals: \
      [cluster.local/ns/default/sa/bookinfo-productpage]}}], to: [{operation: {methods: [GET], \
      paths: ["/details/*"]}}]}]}""");
  private static final String ALLOW_ALL = ap("default/allow-all", "{rules: [{}]}");
  private static final String DENY_OTHER_NS = ap("default/deny-other",
      "{action: DENY, rules: [{from: [{source: {namespaces: [other]}}]}]}");
  private static final String DENY_POST = ap("default/deny-post",
      "{action: DENY, rules: [{to: [{operation: {methods: [POST]}}]}]}");
  private static final String AUDIT_ADMIN = ap("default/audit-admin",
      "{action: AUDIT, rules: [{to: [{operation: {paths: [\"/admin/*\"]}}]}]}");

  record Case(String name, String policies, Workload workload, Request request, boolean allowed,
      String decidedBy, List<String> audits) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, String policies, Request.Builder request, boolean allowed, String decidedBy) {
    return new Case(name, policies, DETAILS, request.build(), allowed, decidedBy, List.of());
  }

  static Case c(String name, String policies, Workload w, Request.Builder request, boolean allowed) {
    return new Case(name, policies, w, request.build(), allowed, null, List.of());
  }

  static Case audit(String name, String policies, Request.Builder request, boolean allowed, String... audits) {
    return new Case(name, policies, DETAILS, request.build(), allowed, null, List.of(audits));
  }

  static Stream<Case> cases() {
    String get = "GET";
    return Stream.of(
        c("authorize_noPolicies_allowed", "", http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_denyAllEmptySpec_denied", ap("default/deny-all", "{}"), http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_denyAllEmptySpecTcp_denied", ap("default/deny-all", "{}"), tcp(PRODUCTPAGE), false, null),
        c("authorize_denyAllInOtherNamespace_allowed", ap("foo/deny-all", "{}"), http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_detailsViewerGetDetails_allowed", DETAILS_VIEWER, http(PRODUCTPAGE, get, "/details/0"), true,
            "default/details-viewer rules[0]"),
        c("authorize_detailsViewerPostDetails_denied", DETAILS_VIEWER, http(PRODUCTPAGE, "POST", "/details/0"), false, null),
        c("authorize_detailsViewerGetPing_denied", DETAILS_VIEWER, http(PRODUCTPAGE, get, "/ping"), false, null),
        c("authorize_detailsViewerOtherPrincipal_denied", DETAILS_VIEWER, http(REVIEWS_OTHER_NS, get, "/details/0"), false, null),
        c("authorize_detailsViewerPlaintext_denied", DETAILS_VIEWER, http(null, get, "/details/0"), false, null),
        c("authorize_detailsViewerQueryString_allowed", DETAILS_VIEWER, http(PRODUCTPAGE, get, "/details/0?x=/ping"), true,
            "default/details-viewer rules[0]"),
        c("authorize_detailsViewerOtherWorkload_allowed", DETAILS_VIEWER, REVIEWS, http(REVIEWS_OTHER_NS, "POST", "/x"), true),
        c("authorize_denyBeatsAllow_denied", ALLOW_ALL + DENY_OTHER_NS, http(REVIEWS_OTHER_NS, get, "/"), false,
            "default/deny-other rules[0]"),
        c("authorize_denyMissAllowMatch_allowed", ALLOW_ALL + DENY_OTHER_NS, http(PRODUCTPAGE, get, "/"), true,
            "default/allow-all rules[0]"),
        c("authorize_onlyDenyPoliciesMiss_allowed", DENY_OTHER_NS, http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_rulesEmptyObject_allowed", ALLOW_ALL, http(REVIEWS_OTHER_NS, "DELETE", "/x"), true, "default/allow-all rules[0]"),
        c("authorize_rulesEmptyObjectPlaintextTcp_allowed", ALLOW_ALL, tcp(null), true, "default/allow-all rules[0]"),
        c("authorize_denyRulesEmptyObject_denied", ap("default/deny", "{action: DENY, rules: [{}]}"),
            http(PRODUCTPAGE, get, "/"), false, "default/deny rules[0]"),
        c("authorize_denyNoRules_allowed", ap("default/deny", "{action: DENY}"), http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_secondRuleMatches_allowed", ap("default/two", "{rules: [{to: [{operation: {paths: [/a]}}]}, "
            + "{to: [{operation: {paths: [/b]}}]}]}"), http(PRODUCTPAGE, get, "/b"), true, "default/two rules[1]"),
        c("authorize_pathPrefix_allowed", ap("default/p", "{rules: [{to: [{operation: {paths: [\"/api/*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/api/v1/x"), true, null),
        c("authorize_pathPrefixMiss_denied", ap("default/p", "{rules: [{to: [{operation: {paths: [\"/api/*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/apix"), false, null),
        c("authorize_pathSuffix_allowed", ap("default/p", "{rules: [{to: [{operation: {paths: [\"*.html\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/index.html"), true, null),
        c("authorize_pathSuffixMiss_denied", ap("default/p", "{rules: [{to: [{operation: {paths: [\"*.html\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/index.htm"), false, null),
        c("authorize_pathExactMiss_denied", ap("default/p", "{rules: [{to: [{operation: {paths: [/exact]}}]}]}"),
            http(PRODUCTPAGE, get, "/exact/more"), false, null),
        c("authorize_principalPresenceWithPeer_allowed", ap("default/mtls", "{rules: [{from: [{source: {principals: [\"*\"]}}]}]}"),
            http(REVIEWS_OTHER_NS, get, "/"), true, null),
        c("authorize_principalPresencePlaintext_denied", ap("default/mtls", "{rules: [{from: [{source: {principals: [\"*\"]}}]}]}"),
            http(null, get, "/"), false, null),
        c("authorize_principalSuffix_allowed",
            ap("default/sa", "{rules: [{from: [{source: {principals: [\"*/sa/bookinfo-productpage\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_principalPrefix_denied",
            ap("default/td", "{rules: [{from: [{source: {principals: [\"example.org/*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_notPrincipalsPlaintext_allowed", ap("default/plain", "{rules: [{from: [{source: {notPrincipals: [\"*\"]}}]}]}"),
            http(null, get, "/"), true, null),
        c("authorize_notPrincipalsWithPeer_denied", ap("default/plain", "{rules: [{from: [{source: {notPrincipals: [\"*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_notMethodsGet_allowed", ap("default/nm", "{rules: [{to: [{operation: {notMethods: [POST]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_notMethodsPost_denied", ap("default/nm", "{rules: [{to: [{operation: {notMethods: [POST]}}]}]}"),
            http(PRODUCTPAGE, "POST", "/"), false, null),
        c("authorize_methodsCaseSensitive_denied", ap("default/m", "{rules: [{to: [{operation: {methods: [get]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_denyNotPathsAdmin_denied", ap("default/np", "{action: DENY, rules: [{to: [{operation: {notPaths: [\"/public/*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/admin"), false, "default/np rules[0]"),
        c("authorize_denyNotPathsPublic_allowed", ap("default/np", "{action: DENY, rules: [{to: [{operation: {notPaths: [\"/public/*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/public/a"), true, null),
        c("authorize_namespacesMatch_allowed", ap("default/ns", "{rules: [{from: [{source: {namespaces: [default]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_namespacesOther_denied", ap("default/ns", "{rules: [{from: [{source: {namespaces: [default]}}]}]}"),
            http(REVIEWS_OTHER_NS, get, "/"), false, null),
        c("authorize_namespacesPlaintext_denied", ap("default/ns", "{rules: [{from: [{source: {namespaces: [\"*\"]}}]}]}"),
            http(null, get, "/"), false, null),
        c("authorize_denyNotNamespacesOther_denied", ap("default/nn", "{action: DENY, rules: [{from: [{source: {notNamespaces: [default]}}]}]}"),
            http(REVIEWS_OTHER_NS, get, "/"), false, "default/nn rules[0]"),
        c("authorize_denyNotNamespacesOwn_allowed", ap("default/nn", "{action: DENY, rules: [{from: [{source: {notNamespaces: [default]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_ipBlocksV4Match_allowed", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [10.0.0.0/8]}}]}]}"),
            http(null, get, "/").sourceIp("10.200.3.4"), true, null),
        c("authorize_ipBlocksV4Miss_denied", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [10.0.0.0/8]}}]}]}"),
            http(null, get, "/").sourceIp("192.168.1.1"), false, null),
        c("authorize_ipBlocksOddPrefix_allowed", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [192.168.128.0/17]}}]}]}"),
            http(null, get, "/").sourceIp("192.168.200.1"), true, null),
        c("authorize_ipBlocksOddPrefixMiss_denied", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [192.168.128.0/17]}}]}]}"),
            http(null, get, "/").sourceIp("192.168.127.1"), false, null),
        c("authorize_ipBlocksSingleAddress_allowed", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [10.1.2.3]}}]}]}"),
            http(null, get, "/"), true, null),
        c("authorize_ipBlocksV6Match_allowed", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [\"2001:db8::/32\"]}}]}]}"),
            http(null, get, "/").sourceIp("2001:db8:1::7"), true, null),
        c("authorize_ipBlocksV6Miss_denied", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [\"2001:db8::/32\"]}}]}]}"),
            http(null, get, "/").sourceIp("2001:db9::7"), false, null),
        c("authorize_ipBlocksV6AgainstV4Source_denied", ap("default/ip", "{rules: [{from: [{source: {ipBlocks: [\"::/0\"]}}]}]}"),
            http(null, get, "/"), false, null),
        c("authorize_denyNotIpBlocks_denied", ap("default/nip", "{action: DENY, rules: [{from: [{source: {notIpBlocks: [10.0.0.0/8]}}]}]}"),
            http(null, get, "/").sourceIp("192.168.1.1"), false, "default/nip rules[0]"),
        c("authorize_remoteIpBlocks_allowed", ap("default/rip", "{rules: [{from: [{source: {remoteIpBlocks: [203.0.113.0/24]}}]}]}"),
            http(null, get, "/").remoteIp("203.0.113.9"), true, null),
        c("authorize_remoteIpBlocksDefaultsToSource_denied",
            ap("default/rip", "{rules: [{from: [{source: {remoteIpBlocks: [203.0.113.0/24]}}]}]}"),
            http(null, get, "/"), false, null),
        c("authorize_portsMatch_allowed", ap("default/port", "{rules: [{to: [{operation: {ports: [\"9080\"]}}]}]}"),
            http(null, get, "/"), true, null),
        c("authorize_portsMiss_denied", ap("default/port", "{rules: [{to: [{operation: {ports: [\"8080\"]}}]}]}"),
            http(null, get, "/"), false, null),
        c("authorize_denyNotPorts_denied", ap("default/np", "{action: DENY, rules: [{to: [{operation: {notPorts: [\"8080\"]}}]}]}"),
            http(null, get, "/"), false, "default/np rules[0]"),
        c("authorize_hostsIgnoreCaseAndPort_allowed",
            ap("default/h", "{rules: [{to: [{operation: {hosts: [details.default.svc.cluster.local]}}]}]}"),
            http(null, get, "/").host("Details.Default.svc.cluster.local:9080"), true, null),
        c("authorize_hostsSuffix_allowed", ap("default/h", "{rules: [{to: [{operation: {hosts: [\"*.example.com\"]}}]}]}"),
            http(null, get, "/").host("api.example.com"), true, null),
        c("authorize_notHosts_denied", ap("default/h", "{rules: [{to: [{operation: {notHosts: [\"*.example.com\"]}}]}]}"),
            http(null, get, "/").host("api.example.com"), false, null),
        c("authorize_fromSourcesOr_allowed", ap("default/or", "{rules: [{from: [{source: {principals: [x/ns/y/sa/z]}}, "
            + "{source: {namespaces: [other]}}]}]}"), http(REVIEWS_OTHER_NS, get, "/"), true, null),
        c("authorize_sourceFieldsAnd_denied", ap("default/and", "{rules: [{from: [{source: {principals: [\"*\"], "
            + "namespaces: [other]}}]}]}"), http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_whenHeaderValue_allowed", ap("default/hdr", "{rules: [{when: [{key: \"request.headers[X-Token]\", "
            + "values: [abc]}]}]}"), http(null, get, "/").header("x-token", "abc"), true, null),
        c("authorize_whenHeaderMissing_denied", ap("default/hdr", "{rules: [{when: [{key: \"request.headers[x-token]\", "
            + "values: [\"*\"]}]}]}"), http(null, get, "/"), false, null),
        c("authorize_whenHeaderNotValues_denied", ap("default/hdr", "{rules: [{when: [{key: \"request.headers[x-env]\", "
            + "notValues: [\"prod*\"]}]}]}"), http(null, get, "/").header("X-Env", "production"), false, null),
        c("authorize_whenSourceIp_allowed", ap("default/w", "{rules: [{when: [{key: source.ip, values: [10.1.0.0/16]}]}]}"),
            http(null, get, "/"), true, null),
        c("authorize_whenSourceNamespace_allowed", ap("default/w", "{rules: [{when: [{key: source.namespace, values: [default]}]}]}"),
            http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_whenSourcePrincipalMiss_denied", ap("default/w", "{rules: [{when: [{key: source.principal, "
            + "values: [cluster.local/ns/default/sa/other]}]}]}"), http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_whenDestinationPort_allowed", ap("default/w", "{rules: [{when: [{key: destination.port, values: [\"9080\"]}]}]}"),
            tcp(null), true, null),
        c("authorize_whenSniTcp_allowed", ap("default/w", "{rules: [{when: [{key: connection.sni, values: [\"*.svc.cluster.local\"]}]}]}"),
            tcp(PRODUCTPAGE).sni("outbound_.9080_._.details.default.svc.cluster.local"), true, null),
        c("authorize_whenAllMustMatch_denied", ap("default/w", "{rules: [{when: [{key: source.namespace, values: [default]}, "
            + "{key: destination.port, values: [\"8080\"]}]}]}"), http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_requestPrincipalsNeverPresent_denied", ap("default/jwt", "{rules: [{from: [{source: {requestPrincipals: [\"*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_notRequestPrincipals_allowed", ap("default/jwt", "{rules: [{from: [{source: {notRequestPrincipals: [\"*\"]}}]}]}"),
            http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_tcpAllowRuleWithMethods_denied", ap("default/get", "{rules: [{to: [{operation: {methods: [GET]}}]}]}"),
            tcp(PRODUCTPAGE), false, null),
        c("authorize_tcpAllowRuleWithoutHttpFields_allowed", ap("default/mixed", "{rules: [{to: [{operation: {methods: [GET]}}]}, "
            + "{to: [{operation: {ports: [\"9080\"]}}]}]}"), tcp(PRODUCTPAGE), true, "default/mixed rules[1]"),
        c("authorize_tcpAllowHttpCondition_denied", ap("default/hdr", "{rules: [{from: [{source: {principals: [\"*\"]}}], "
            + "when: [{key: \"request.headers[x]\", notValues: [y]}]}]}"), tcp(PRODUCTPAGE), false, null),
        c("authorize_tcpDenyRuleWithMethods_denied", DENY_POST, tcp(PRODUCTPAGE), false, "default/deny-post rules[0]"),
        c("authorize_httpDenyRuleWithMethodsGet_allowed", DENY_POST, http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_tcpDenyWidenedKeepsNamespace_denied", ap("default/d", "{action: DENY, rules: [{from: [{source: "
            + "{namespaces: [other]}}], to: [{operation: {paths: [/admin]}}]}]}"), tcp(REVIEWS_OTHER_NS), false, "default/d rules[0]"),
        c("authorize_tcpDenyWidenedOtherNamespace_allowed", ap("default/d", "{action: DENY, rules: [{from: [{source: "
            + "{namespaces: [other]}}], to: [{operation: {paths: [/admin]}}]}]}"), tcp(PRODUCTPAGE), true, null),
        c("authorize_tcpDenyHeaderCondition_denied", ap("default/d", "{action: DENY, rules: [{when: [{key: "
            + "\"request.headers[x]\", values: [y]}]}]}"), tcp(PRODUCTPAGE), false, "default/d rules[0]"),
        c("authorize_rootNamespaceDeny_denied", ap("istio-system/global-deny", "{action: DENY, rules: [{from: [{source: "
            + "{notNamespaces: [default]}}]}]}"), http(REVIEWS_OTHER_NS, get, "/"), false, "istio-system/global-deny rules[0]"),
        c("authorize_rootNamespaceSelector_applies", ap("istio-system/details-only", "{selector: {matchLabels: {app: details}}}"),
            http(PRODUCTPAGE, get, "/"), false, null),
        c("authorize_selectorOtherApp_allowed", ap("default/ratings", "{selector: {matchLabels: {app: ratings}}}"),
            http(PRODUCTPAGE, get, "/"), true, null),
        c("authorize_selectorAllLabels_denied", ap("default/v1", "{selector: {matchLabels: {app: details, version: v1}}}"),
            http(PRODUCTPAGE, get, "/"), false, null),
        audit("authorize_auditMatch_allowedAndRecorded", AUDIT_ADMIN, http(PRODUCTPAGE, get, "/admin/x"), true,
            "default/audit-admin rules[0]"),
        audit("authorize_auditWithDeny_deniedAndRecorded", AUDIT_ADMIN + DENY_OTHER_NS,
            http(REVIEWS_OTHER_NS, get, "/admin/x"), false, "default/audit-admin rules[0]"),
        audit("authorize_auditMiss_notRecorded", AUDIT_ADMIN, http(PRODUCTPAGE, get, "/public"), true),
        audit("authorize_auditOnly_neverDenies", ap("default/audit-all", "{action: AUDIT, rules: [{}]}"),
            http(null, "DELETE", "/"), true, "default/audit-all rules[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void authorize(Case c) {
    AuthzDecision d = set(c.policies()).authorize(c.workload(), c.request());

    assertThat(d.allowed()).as(d.describe()).isEqualTo(c.allowed());
    if (c.decidedBy() != null) {
      assertThat(d.decidedBy()).as(d.describe()).hasToString(c.decidedBy());
    }
    assertThat(d.audits()).map(RuleMatch::toString).containsExactlyElementsOf(c.audits());
  }
}
