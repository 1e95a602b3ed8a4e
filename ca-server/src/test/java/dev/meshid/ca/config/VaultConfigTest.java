package dev.meshid.ca.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshid.ca.CaCommand;
import dev.meshid.ca.vault.VaultAuthMethod;
import dev.meshid.ca.vault.VaultOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The {@code --vault-*} settings: parsing, validation messages, precedence and {@code --print-config}. */
class VaultConfigTest {
    static final String ADDR = "https://vault.example:8200";
    static final String TOKEN = "hvs.do-not-print-me";

    @TempDir
    Path dir;

    private static Map<Setting, String> flags(Object... pairs) {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Setting) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void load_noVaultMode_noVaultSourceEvenWithVaultAddrInTheEnvironment() throws Exception {
        CaConfig c = ConfigLoader.load(Map.of(), Map.of("VAULT_ADDR", ADDR, "VAULT_TOKEN", TOKEN));

        assertThat(c.vault()).isEmpty();
        assertThat(c.keySourceConfigured()).isFalse();
    }

    @Test
    void load_kvPathWithCliEnvironment_buildsKvOptionsWithAddressNamespaceAndToken() throws Exception {
        CaConfig c = ConfigLoader.load(flags(Setting.VAULT_KV_PATH, "secret/meshid/cacerts",
                Setting.VAULT_KV_FIELD, "ca-key.pem=key,ca-cert.pem=cert", Setting.VAULT_KV_VERSION, "2"),
                Map.of("VAULT_ADDR", ADDR, "VAULT_NAMESPACE", "team-a", "VAULT_TOKEN", TOKEN));

        VaultOptions o = c.vault().orElseThrow().options();
        assertThat(c.keySourceConfigured()).isTrue();
        assertThat(o.address()).isEqualTo(URI.create(ADDR));
        assertThat(o.namespace()).isEqualTo("team-a");
        assertThat(o.kvPath()).isEqualTo("secret/meshid/cacerts");
        assertThat(o.fieldFor("ca-key.pem")).isEqualTo("key");
        assertThat(o.fieldFor("root-cert.pem")).isEqualTo("root-cert.pem");
        assertThat(o.kvVersion()).isEqualTo(2);
        assertThat(o.refreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.vault().get().token()).contains(TOKEN);
        assertThat(c.vault().get().toString()).doesNotContain(TOKEN);
    }

    @Test
    void load_pkiMount_takesTrustDomainMaxTtlIssuerAndTtl() throws Exception {
        CaConfig c = ConfigLoader.load(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_PKI_MOUNT, "pki",
                Setting.VAULT_PKI_ISSUER, "root-2025", Setting.VAULT_PKI_TTL, "720h", Setting.MAX_TTL, "48h",
                Setting.TRUST_DOMAIN, "mesh.example", Setting.VAULT_REFRESH, "1m"), Map.of());

        VaultOptions o = c.vault().orElseThrow().options();
        assertThat(o.pkiMount()).isEqualTo("pki");
        assertThat(o.pkiIssuer()).isEqualTo("root-2025");
        assertThat(o.intermediateTtl()).isEqualTo(Duration.ofHours(720));
        assertThat(o.maxWorkloadTtl()).isEqualTo(Duration.ofHours(48));
        assertThat(o.trustDomain().name()).isEqualTo("mesh.example");
        assertThat(o.refreshInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void load_vaultSettingsInEveryLayer_flagBeatsEnvBeatsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.yaml"), "vaultAddr: https://file.example:8200\n"
                + "vaultKvPath: kv/file/cacerts\nvaultNamespace: file-ns\nvaultRole: file-role\nvaultAuth: kubernetes\n");
        Map<String, String> env = Map.of("VAULT_ADDR", "https://env.example:8200", "MESHID_VAULT_KV_PATH",
                "kv/env/cacerts");

        CaConfig c = ConfigLoader.load(file, flags(Setting.VAULT_ADDR, "https://flag.example:8200"), env);

        VaultOptions o = c.vault().orElseThrow().options();
        assertThat(o.address()).as("flag > env > file").isEqualTo(URI.create("https://flag.example:8200"));
        assertThat(o.kvPath()).as("env > file").isEqualTo("kv/env/cacerts");
        assertThat(o.namespace()).as("file > default").isEqualTo("file-ns");
        assertThat(o.auth()).isEqualTo(VaultAuthMethod.KUBERNETES);
        assertThat(o.kubernetesRole()).isEqualTo("file-role");
        assertThat(o.kubernetesTokenFile()).isEqualTo(VaultOptions.DEFAULT_KUBERNETES_TOKEN);
    }

    static Stream<Arguments> invalid() {
        String kv = "secret/meshid/cacerts";
        return Stream.of(
                Arguments.of(flags(Setting.VAULT_KV_PATH, kv),
                        "vaultKvPath (--vault-kv-path, MESHID_VAULT_KV_PATH) = \"secret/meshid/cacerts\" (from flag "
                                + "--vault-kv-path) needs Vault's address: set vaultAddr (--vault-addr, VAULT_ADDR)"),
                Arguments.of(flags(Setting.VAULT_ADDR, "vault:8200", Setting.VAULT_KV_PATH, kv),
                        "vaultAddr (--vault-addr, VAULT_ADDR) = \"vault:8200\" (from flag --vault-addr): not an http(s) URL"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_PKI_MOUNT, "pki"),
                        "vaultKvPath (--vault-kv-path, MESHID_VAULT_KV_PATH) = \"secret/meshid/cacerts\" (from flag "
                                + "--vault-kv-path) and vaultPkiMount (--vault-pki-mount, MESHID_VAULT_PKI_MOUNT) = \"pki\""
                                + " (from flag --vault-pki-mount) are both set; they are the two Vault modes"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.CACERTS_DIR, "/etc/cacerts"),
                        "cacertsDir (--cacerts-dir, MESHID_CACERTS_DIR) = \"/etc/cacerts\" (from flag --cacerts-dir) and "
                                + "vaultKvPath (--vault-kv-path, MESHID_VAULT_KV_PATH)"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_PKI_MOUNT, "pki", Setting.SELF_SIGNED_DIR, "/x"),
                        "selfSignedDir (--self-signed-dir, MESHID_SELF_SIGNED_DIR) = \"/x\" (from flag --self-signed-dir)"
                                + " and vaultPkiMount (--vault-pki-mount, MESHID_VAULT_PKI_MOUNT) = \"pki\""),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.K8S_CACERTS_SECRET,
                        "istio-system/cacerts"), "k8sCacertsSecret (--k8s-cacerts-secret, MESHID_K8S_CACERTS_SECRET) = "
                        + "\"istio-system/cacerts\" (from flag --k8s-cacerts-secret) and vaultKvPath"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_AUTH, "ldap"),
                        "vaultAuth (--vault-auth, MESHID_VAULT_AUTH) = \"ldap\" (from flag --vault-auth): not a login "
                                + "method; use token, kubernetes or approle"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_AUTH, "kubernetes"),
                        "vaultAuth (--vault-auth, MESHID_VAULT_AUTH) = \"kubernetes\" (from flag --vault-auth) needs "
                                + "vaultRole (--vault-role, MESHID_VAULT_ROLE)"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_AUTH, "approle"),
                        "needs vaultApproleRoleId (--vault-approle-role-id, MESHID_VAULT_APPROLE_ROLE_ID)"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_AUTH, "approle",
                        Setting.VAULT_APPROLE_ROLE_ID, "r-1"), "vaultAuth (--vault-auth, MESHID_VAULT_AUTH) = "
                        + "\"approle\" needs a secret ID: set vaultApproleSecretIdFile (--vault-approle-secret-id-file,"
                        + " MESHID_VAULT_APPROLE_SECRET_ID_FILE)"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_AUTH_MOUNT, "k8s"),
                        "vaultAuthMount (--vault-auth-mount, MESHID_VAULT_AUTH_MOUNT) = \"k8s\" (from flag "
                                + "--vault-auth-mount): applies only to --vault-auth kubernetes or approle"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, "cacerts"),
                        "vaultKvPath (--vault-kv-path, MESHID_VAULT_KV_PATH) = \"cacerts\" (from flag --vault-kv-path):"
                                + " needs a mount and a secret"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_KV_FIELD, "key.pem=k"),
                        "vaultKvField (--vault-kv-field, MESHID_VAULT_KV_FIELD) = \"key.pem=k\" (from flag "
                                + "--vault-kv-field): \"key.pem=k\" is not FILE=FIELD"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_KV_VERSION, "3"),
                        "vaultKvVersion (--vault-kv-version, MESHID_VAULT_KV_VERSION) = \"3\" (from flag "
                                + "--vault-kv-version): use 1 or 2"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_PKI_ISSUER, "r"),
                        "vaultPkiIssuer (--vault-pki-issuer, MESHID_VAULT_PKI_ISSUER) = \"r\" (from flag "
                                + "--vault-pki-issuer): applies only with vaultPkiMount"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_PKI_MOUNT, "pki", Setting.VAULT_KV_FIELD,
                        "ca-key.pem=k"), "vaultKvField (--vault-kv-field, MESHID_VAULT_KV_FIELD) = \"ca-key.pem=k\" "
                        + "(from flag --vault-kv-field): applies only with vaultKvPath"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_PKI_MOUNT, "pki", Setting.VAULT_PKI_TTL, "1h"),
                        "vaultPkiTtl (--vault-pki-ttl, MESHID_VAULT_PKI_TTL) = \"1h\" (from flag --vault-pki-ttl): an "
                                + "intermediate must outlive the longest workload certificate, but maxTtl"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_PKI_MOUNT, "pki", Setting.VAULT_PKI_TTL, "soon"),
                        "vaultPkiTtl (--vault-pki-ttl, MESHID_VAULT_PKI_TTL) = \"soon\" (from flag --vault-pki-ttl): "),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_REFRESH, "0s"),
                        "vaultRefresh (--vault-refresh, MESHID_VAULT_REFRESH) = \"0s\" (from flag --vault-refresh): "
                                + "must be positive"),
                Arguments.of(flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH, kv, Setting.VAULT_CACERT,
                        "/nonexistent/vault-ca.pem"), "vaultCacert (--vault-cacert, VAULT_CACERT) = "
                        + "\"/nonexistent/vault-ca.pem\" (from flag --vault-cacert): no readable file there"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void load_invalidVaultSetting_failsNamingTheSettingAndTheFix(Map<Setting, String> flags, String expected) {
        assertThatThrownBy(() -> ConfigLoader.load(flags, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void load_vaultFlagWithoutMode_failsNamingTheFlagAndBothModes() {
        assertThatThrownBy(() -> ConfigLoader.load(flags(Setting.VAULT_ROLE, "meshid-ca"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vaultRole (--vault-role, MESHID_VAULT_ROLE) = \"meshid-ca\" (from flag "
                        + "--vault-role): Vault is not the key source: set vaultKvPath (--vault-kv-path, "
                        + "MESHID_VAULT_KV_PATH) or vaultPkiMount (--vault-pki-mount, MESHID_VAULT_PKI_MOUNT)");
    }

    @Test
    void load_redactedPlaceholderAsToken_failsWithoutEchoingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.yaml"), "vaultToken: <redacted>\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, flags(Setting.VAULT_ADDR, ADDR, Setting.VAULT_KV_PATH,
                "secret/meshid/cacerts"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("vaultToken (VAULT_TOKEN)")
                .hasMessageContaining("the placeholder --print-config writes");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CaCommand(env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void printConfig_vaultFlagsAndToken_printsSettingsAndRedactsTheToken() throws Exception {
        Map<String, String> env = Map.of("VAULT_TOKEN", TOKEN, "VAULT_ADDR", ADDR,
                "MESHID_VAULT_APPROLE_SECRET_ID", "secret-id-value");

        Run r = run(env, "--print-config", "--vault-kv-path", "secret/meshid/cacerts", "--vault-auth", "approle",
                "--vault-approle-role-id", "role-1", "--vault-kv-field", "ca-key.pem=key", "--vault-kv-field",
                "ca-cert.pem=cert", "--vault-refresh", "45s");

        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain(TOKEN).doesNotContain("secret-id-value");
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(r.out());
        assertThat(yaml.get("vaultToken").asText()).isEqualTo("<redacted>");
        assertThat(yaml.get("vaultApproleSecretId").asText()).isEqualTo("<redacted>");
        assertThat(yaml.get("vaultAddr").asText()).isEqualTo(ADDR);
        assertThat(yaml.get("vaultKvPath").asText()).isEqualTo("secret/meshid/cacerts");
        assertThat(yaml.get("vaultAuth").asText()).isEqualTo("approle");
        assertThat(yaml.get("vaultAuthMount").asText()).isEqualTo("approle");
        assertThat(yaml.get("vaultKvField")).hasSize(2);
        assertThat(yaml.get("vaultRefresh").asText()).isEqualTo("45s");
    }

    @Test
    void printConfig_vaultOutput_reloadsToTheSameOptionsWhenTheTokenIsInTheEnvironment() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("VAULT_TOKEN", TOKEN));
        Run first = run(env, "--print-config", "--vault-addr", ADDR, "--vault-pki-mount", "pki",
                "--vault-pki-issuer", "root-2025", "--vault-namespace", "ns1");
        Path saved = Files.writeString(dir.resolve("saved.yaml"), first.out());

        CaConfig reloaded = ConfigLoader.load(saved, Map.of(), env);

        VaultConfig v = reloaded.vault().orElseThrow();
        assertThat(v.options().pkiMount()).isEqualTo("pki");
        assertThat(v.options().pkiIssuer()).isEqualTo("root-2025");
        assertThat(v.options().namespace()).isEqualTo("ns1");
        assertThat(v.token()).contains(TOKEN);
        assertThat(ConfigPrinter.toYaml(reloaded)).isEqualTo(first.out());
    }

    @Test
    void run_vaultConfiguredWithoutTokenOrHome_exitsTwoNamingTheSetting() {
        Run r = run(Map.of(), "--vault-addr", ADDR, "--vault-kv-path", "secret/meshid/cacerts",
                "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("vaultKvPath (--vault-kv-path, MESHID_VAULT_KV_PATH) is set, but the Vault "
                + "connection cannot be made: --vault-auth token needs VAULT_TOKEN or --vault-token-file");
    }
}
