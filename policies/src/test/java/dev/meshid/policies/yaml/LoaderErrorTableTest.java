package dev.meshid.policies.yaml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.policies.PolicyLoadException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: each message names the file, the resource and the field, and says what is wrong. */
class LoaderErrorTableTest {
  private static final String AP = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
      + "metadata: {name: details-viewer, namespace: default}\n";
  private static final String PA = "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\n"
      + "metadata: {name: pa, namespace: default}\n";
  private static final String SC = "apiVersion: networking.istio.io/v1alpha3\nkind: Sidecar\n"
      + "metadata: {name: s, namespace: default}\n";
  private static final String RES = "test.yaml: AuthorizationPolicy default/details-viewer: ";

  record Case(String name, String yaml, String[] messageParts) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, String yaml, String... parts) {
    return new Case(name, yaml, parts);
  }

  static Stream<Case> cases() {
    return Stream.of(
        c("load_methodsString_listOfStrings", AP + "spec: {rules: [{to: [{operation: {methods: GET}}]}]}",
            RES + "spec.rules[0].to[0].operation.methods: expected a list of strings, got a string"),
        c("load_portsNumbers_listOfStrings", AP + "spec: {rules: [{to: [{operation: {ports: [8080]}}]}]}",
            RES + "spec.rules[0].to[0].operation.ports: expected a list of strings, got an element that is a number"),
        c("load_unknownOperationField_named", AP + "spec: {rules: [{to: [{operation: {method: [GET]}}]}]}",
            RES + "spec.rules[0].to[0].operation.method: unknown field (expected one of: hosts, notHosts"),
        c("load_unknownSpecField_named", AP + "spec: {rule: []}", RES + "spec.rule: unknown field"),
        c("load_unknownTopLevelField_named", AP + "spek: {}\n", RES + "spek: unknown field"),
        c("load_actionCustom_refused", AP + "spec: {action: CUSTOM, provider: {name: ext}}",
            RES + "spec.action: CUSTOM is not supported by meshid"),
        c("load_actionUnknown_listed", AP + "spec: {action: PERMIT}",
            RES + "spec.action: unknown action 'PERMIT' (expected one of ALLOW, DENY, AUDIT)"),
        c("load_actionNumber_wrongType", AP + "spec: {action: 1}", RES + "spec.action: expected a string, got a number"),
        c("load_rulesObject_wrongType", AP + "spec: {rules: {from: []}}", RES + "spec.rules: expected a list, got an object"),
        c("load_emptySource_refused", AP + "spec: {rules: [{from: [{source: {}}]}]}",
            RES + "spec.rules[0].from[0].source: must not be empty"),
        c("load_missingOperation_refused", AP + "spec: {rules: [{to: [{}]}]}", RES + "spec.rules[0].to[0].operation: must not be empty"),
        c("load_badCidrPrefix_named", AP + "spec: {rules: [{from: [{source: {ipBlocks: [10.0.0.0/8, 10.0.0.0/33]}}]}]}",
            RES + "spec.rules[0].from[0].source.ipBlocks[1]: invalid prefix length in CIDR block '10.0.0.0/33'"),
        c("load_hostNameAsIpBlock_refused", AP + "spec: {rules: [{from: [{source: {notIpBlocks: [example.com]}}]}]}",
            RES + "spec.rules[0].from[0].source.notIpBlocks[0]: invalid IP or CIDR block 'example.com'"),
        c("load_portOutOfRange_named", AP + "spec: {rules: [{to: [{operation: {ports: [\"99999\"]}}]}]}",
            RES + "spec.rules[0].to[0].operation.ports[0]: invalid port '99999'"),
        c("load_unknownConditionKey_listed", AP + "spec: {rules: [{when: [{key: destination.ip, values: [10.0.0.1]}]}]}",
            RES + "spec.rules[0].when[0].key: unsupported condition key 'destination.ip' (supported: source.ip"),
        c("load_conditionWithoutValues_refused", AP + "spec: {rules: [{when: [{key: source.ip}]}]}",
            RES + "spec.rules[0].when[0]: must set values or notValues"),
        c("load_conditionBadIp_named", AP + "spec: {rules: [{when: [{key: source.ip, notValues: [10.0.0.300]}]}]}",
            RES + "spec.rules[0].when[0].notValues[0]: invalid IP or CIDR block '10.0.0.300'"),
        c("load_conditionMissingKey_required", AP + "spec: {rules: [{when: [{values: [a]}]}]}",
            RES + "spec.rules[0].when[0].key: required"),
        c("load_targetRef_refused", AP + "spec: {targetRef: {kind: Gateway, name: gw}}",
            RES + "spec.targetRef: not supported by meshid"),
        c("load_labelNumber_mapOfStrings", AP + "spec: {selector: {matchLabels: {version: 2}}}",
            RES + "spec.selector.matchLabels: expected a map of strings, got a number for 'version'"),
        c("load_mtlsModeUnknown_listed", PA + "spec: {mtls: {mode: STRICTER}}",
            "test.yaml: PeerAuthentication default/pa: spec.mtls.mode: unknown mode 'STRICTER' "
                + "(expected one of UNSET, DISABLE, PERMISSIVE, STRICT)"),
        c("load_portLevelWithoutSelector_refused", PA + "spec: {portLevelMtls: {\"8080\": {mode: DISABLE}}}",
            "test.yaml: PeerAuthentication default/pa: spec.portLevelMtls: portLevelMtls requires a workload selector"),
        c("load_portLevelBadPort_named", PA + "spec: {selector: {matchLabels: {app: a}}, portLevelMtls: {http: {mode: DISABLE}}}",
            "test.yaml: PeerAuthentication default/pa: spec.portLevelMtls.http: invalid port 'http'"),
        c("load_portLevelBadMode_named", PA + "spec: {selector: {matchLabels: {app: a}}, portLevelMtls: {\"80\": {mode: OFF_}}}",
            "test.yaml: PeerAuthentication default/pa: spec.portLevelMtls.80.mode: unknown mode 'OFF_'"),
        // YAML 1.1 reads a bare ON as a boolean; say so rather than "unknown mode 'true'".
        c("load_modeYamlBoolean_wrongType", PA + "spec: {mtls: {mode: ON}}",
            "test.yaml: PeerAuthentication default/pa: spec.mtls.mode: expected a string, got a boolean"),
        c("load_sidecarHostWithoutNamespace_refused", SC + "spec: {egress: [{hosts: [foo.com]}]}",
            "test.yaml: Sidecar default/s: spec.egress[0].hosts[0]: invalid host 'foo.com' (expected <namespace>/<dns-name>"),
        c("load_sidecarNoHosts_required", SC + "spec: {egress: [{port: {number: 80}}]}",
            "test.yaml: Sidecar default/s: spec.egress[0].hosts: required"),
        c("load_sidecarBadPort_named", SC + "spec: {egress: [{port: {number: \"80\"}, hosts: [\"./*\"]}]}",
            "test.yaml: Sidecar default/s: spec.egress[0].port.number: expected a port number"),
        c("load_sidecarOutboundModeUnknown_listed", SC + "spec: {outboundTrafficPolicy: {mode: DENY}}",
            "test.yaml: Sidecar default/s: spec.outboundTrafficPolicy.mode: unknown mode 'DENY'"),
        c("load_missingName_documentNumber", "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
            + "metadata: {namespace: default}\nspec: {}", "test.yaml: AuthorizationPolicy (document 1): metadata.name: required"),
        c("load_unsupportedApiVersion_listed", "apiVersion: security.istio.io/v2\nkind: AuthorizationPolicy\n"
            + "metadata: {name: a}\n", "test.yaml: AuthorizationPolicy (document 1): apiVersion: unsupported "
            + "'security.istio.io/v2' for AuthorizationPolicy (expected one of security.istio.io/v1, security.istio.io/v1beta1)"),
        c("load_badTimestamp_named", "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\n"
            + "metadata: {name: a, creationTimestamp: yesterday}\n",
            "test.yaml: PeerAuthentication (document 1): metadata.creationTimestamp: expected an RFC 3339 time"),
        c("load_secondDocumentMissingKind_documentNumber", AP + "spec: {}\n---\napiVersion: v1\nmetadata: {name: x}\n",
            "test.yaml: document 2: kind: required"),
        c("load_scalarDocument_refused", "just a string\n", "test.yaml: document 1: expected a Kubernetes resource"),
        c("load_brokenYaml_lineAndColumn", AP + "spec: {rules: [\n", "test.yaml: line ", "invalid YAML"),
        c("load_duplicateKey_refused", AP + "spec: {action: DENY, action: ALLOW}", "test.yaml: line ", "invalid YAML",
            "Duplicate field 'action'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void load(Case c) {
    assertThatThrownBy(() -> new PolicyYamlLoader().parse(c.yaml(), "test.yaml"))
        .isInstanceOf(PolicyLoadException.class)
        .message().contains(c.messageParts());
  }
}
