package dev.meshid.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshid.ca.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code meshid ca} says, and which exit code it gives, when the configuration is wrong; and --print-config. */
class StartupValidationTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CaCommand(env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void start_defaultTtlAboveMaxTtl_exitsTwoNamingBothSettingsAndTheFix() {
        Run r = run(Map.of("MAX_WORKLOAD_CERT_TTL", "24h"), "--default-ttl", "48h", "--grpc-addr", "127.0.0.1:0");

        assertThat(r.exit()).isEqualTo(CaCommand.CONFIG_ERROR);
        assertThat(r.err()).startsWith("meshid ca: defaultTtl (--default-ttl, DEFAULT_WORKLOAD_CERT_TTL) = \"48h\"")
                .contains("max TTL 24h (environment MAX_WORKLOAD_CERT_TTL)", "lower defaultTtl or raise maxTtl");
    }

    @Test
    void start_trustDomainNotASpiffeTrustDomain_exitsTwoNamingTheSettingAndAnExample() {
        Run r = run(Map.of(), "--trust-domain", "Cluster Local!", "--grpc-addr", "127.0.0.1:0");

        assertThat(r.exit()).isEqualTo(CaCommand.CONFIG_ERROR);
        assertThat(r.err()).startsWith("meshid ca: trustDomain (--trust-domain, TRUST_DOMAIN) = \"Cluster Local!\"")
                .contains("not a valid SPIFFE trust domain", "e.g. cluster.local");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void start_trustedNodeAccountNotNamespaceSlashName_exitsTwoWithAnExample() {
        Run r = run(Map.of("MESHID_TRUSTED_NODE_ACCOUNTS", "istio-system/ztunnel,ztunnel"), "--print-config");

        assertThat(r.exit()).isEqualTo(CaCommand.CONFIG_ERROR);
        assertThat(r.err()).contains("trustedNodeAccounts (--trusted-node-accounts, MESHID_TRUSTED_NODE_ACCOUNTS)",
                "\"ztunnel\" is not NAMESPACE/NAME", "istio-system/ztunnel");
    }

    @Test
    void start_trustedNodeAccountsWithoutKubernetesClient_exitsTwoSayingWhatIsMissing() {
        Run r = run(Map.of(), "--trusted-node-accounts", "istio-system/ztunnel", "--grpc-addr", "127.0.0.1:0",
                "--http-addr", "127.0.0.1:0", "--self-signed-dir", "selfsigned-unused");

        assertThat(r.exit()).isEqualTo(CaCommand.CONFIG_ERROR);
        assertThat(r.err()).contains("trustedNodeAccounts", "needs a Kubernetes client", "--kubeconfig");
    }

    @Test
    void start_publishRootConfigMapWithoutKubernetesClient_exitsTwoInsteadOfIgnoringIt() {
        Run r = run(Map.of(), "--publish-root-configmap", "--grpc-addr", "127.0.0.1:0",
                "--http-addr", "127.0.0.1:0", "--self-signed-dir", "selfsigned-unused");

        assertThat(r.exit()).isEqualTo(CaCommand.CONFIG_ERROR);
        assertThat(r.err()).contains("publishRootConfigMap (--publish-root-configmap, MESHID_PUBLISH_ROOT_CONFIGMAP)",
                "needs a Kubernetes client", "--kubeconfig");
    }

    @Test
    void printConfig_trustedNodeAccountsFromFlag_areShownAsAList() throws Exception {
        Run r = run(Map.of(), "--print-config", "--trusted-node-accounts", "istio-system/ztunnel, kube-system/agent");

        assertThat(r.exit()).isZero();
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(r.out());
        assertThat(yaml.get("trustedNodeAccounts")).hasSize(2);
        assertThat(yaml.get("trustedNodeAccounts").get(1).asText()).isEqualTo("kube-system/agent");
    }

    @Test
    void printConfig_everySetting_isPrinted() throws Exception {
        Run r = run(Map.of(), "--print-config");

        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(r.out());
        List<String> keys = Arrays.stream(Setting.values()).map(Setting::key).toList();
        assertThat(keys).allSatisfy(k -> assertThat(yaml.has(k)).as("printed: %s", k).isTrue());
    }

    @Test
    void printConfig_secretSettings_areNeverShown() throws Exception {
        List<Setting> secrets = Arrays.stream(Setting.values()).filter(Setting::secret).toList();
        Assumptions.assumeFalse(secrets.isEmpty(), "no setting is a secret yet");
        Map<String, String> env = new HashMap<>();
        secrets.forEach(s -> env.put(s.env(), "s3cr3t-value-" + s.key()));

        Run r = run(env, "--print-config");

        assertThat(r.out()).doesNotContain("s3cr3t-value");
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(r.out());
        // Unused by the configured key source the value may be dropped (null); shown, it is redacted.
        assertThat(secrets).allSatisfy(s -> assertThat(yaml.get(s.key()).isNull()
                || "<redacted>".equals(yaml.get(s.key()).asText())).as("%s", s.key()).isTrue());
    }
}
