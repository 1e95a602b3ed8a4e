package dev.meshid.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CaCommandTest {
    @TempDir
    Path dir;

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
    void printConfig_flagsEnvAndFile_printsEffectiveYamlAndExitsZero() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.yaml"), "defaultTtl: 12h\nclusterId: east\n");

        Run r = run(Map.of("TRUST_DOMAIN", "env.example", "MESHID_GRPC_ADDR", "127.0.0.1:1"), "--print-config",
                "--config", file.toString(), "--grpc-addr", ":8443", "--token-audience", "istio-ca,other");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(r.out());
        assertThat(yaml.get("grpcAddr").asText()).isEqualTo(":8443");
        assertThat(yaml.get("trustDomain").asText()).isEqualTo("env.example");
        assertThat(yaml.get("defaultTtl").asText()).isEqualTo("12h");
        assertThat(yaml.get("maxTtl").asText()).isEqualTo("2160h");
        assertThat(yaml.get("clusterId").asText()).isEqualTo("east");
        assertThat(yaml.get("tokenAudience")).hasSize(2);
    }

    @Test
    void printConfig_output_isItselfAValidConfigFile() throws Exception {
        Run first = run(Map.of(), "--print-config", "--trust-domain", "a.example", "--max-ttl", "1h30m",
                "--default-ttl", "1h");
        Path saved = Files.writeString(dir.resolve("saved.yaml"), first.out());

        CaConfig reloaded = ConfigLoader.load(saved, Map.of(), Map.of());

        assertThat(reloaded.trustDomain().name()).isEqualTo("a.example");
        assertThat(reloaded.maxTtl()).hasMinutes(90);
    }

    @Test
    void badConfiguration_exitsTwoWithOneLineNamingTheSettingAndNoStackTrace() {
        Run r = run(Map.of(), "--print-config", "--default-ttl", "48h", "--max-ttl", "24h");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("meshid ca: defaultTtl (--default-ttl, DEFAULT_WORKLOAD_CERT_TTL) = \"48h\"")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void conflictingKeySources_exitTwo() {
        Run r = run(Map.of("MESHID_CACERTS_DIR", "/etc/cacerts"), "--print-config", "--self-signed-dir", "/x");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("from environment MESHID_CACERTS_DIR").contains("from flag --self-signed-dir");
    }

    @Test
    void help_listsEveryFlagOfCliMd() {
        Run r = run(Map.of(), "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--config", "--grpc-addr", "--http-addr", "--trust-domain", "--cacerts-dir",
                "--self-signed-dir", "--kubeconfig", "--k8s-cacerts-secret", "--publish-root-configmap", "--jwks-file",
                "--jwks-url", "--jwt-issuer", "--token-audience", "--tokenreview", "--serving-dns", "--default-ttl",
                "--max-ttl", "--insecure-plaintext", "--print-config");
    }
}
