package dev.meshid.ca.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.settings.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void load_nothingSet_givesIstioDefaults() throws Exception {
        CaConfig c = ConfigLoader.load(Map.of(), Map.of());

        assertThat(c.grpcAddr()).isEqualTo(new HostPort("", 15012));
        assertThat(c.httpAddr()).isEqualTo(new HostPort("", 15014));
        assertThat(c.trustDomain().name()).isEqualTo("cluster.local");
        assertThat(c.defaultTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.maxTtl()).isEqualTo(Duration.ofDays(90));
        assertThat(c.tokenAudiences()).containsExactly("istio-ca");
        assertThat(c.servingDns()).containsExactly("istiod.istio-system.svc", "meshid-ca.istio-system.svc");
        assertThat(c.insecurePlaintext()).isFalse();
        assertThat(c.keySourceConfigured()).isFalse();
        assertThat(c.tokenReview()).isEmpty();
    }

    @Test
    void load_sameSettingInEveryLayer_flagBeatsEnvBeatsFileBeatsDefault() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.yaml"), "trustDomain: file.example\nmaxTtl: 100h\n"
                + "defaultTtl: 10h\nhttpAddr: 127.0.0.1:9000\n");
        Map<String, String> env = Map.of("TRUST_DOMAIN", "env.example", "MAX_WORKLOAD_CERT_TTL", "200h");
        Map<Setting, String> flags = Map.of(Setting.TRUST_DOMAIN, "flag.example");

        CaConfig c = ConfigLoader.load(file, flags, env);

        assertThat(c.trustDomain().name()).as("flag > env > file").isEqualTo("flag.example");
        assertThat(c.maxTtl()).as("env > file").isEqualTo(Duration.ofHours(200));
        assertThat(c.defaultTtl()).as("file > default").isEqualTo(Duration.ofHours(10));
        assertThat(c.httpAddr()).isEqualTo(new HostPort("127.0.0.1", 9000));
        assertThat(c.grpcAddr().port()).as("default").isEqualTo(15012);
    }

    @Test
    void load_configFileNamedByEnvironment_isRead() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.yaml"), "servingDns: [a.example, b.example]\nallowDnsSans: true\n");

        CaConfig c = ConfigLoader.load(Map.of(), Map.of("MESHID_CONFIG", file.toString()));

        assertThat(c.servingDns()).containsExactly("a.example", "b.example");
        assertThat(c.allowDnsSans()).isTrue();
    }

    @Test
    void load_unknownKeyInFile_namesTheKeyAndTheKnownOnes() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.yaml"), "trustDomain: a.example\ngrpcAdress: :1\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting \"grpcAdress\"")
                .hasMessageContaining("grpcAddr");
    }

    @Test
    void load_fileThatIsNotAMapping_saysWhatToWrite() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.yaml"), "- a\n- b\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a YAML mapping");
    }

    @Test
    void load_missingFile_namesTheFile() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(file.toString()).hasMessageContaining("cannot be read");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(Map.of(Setting.DEFAULT_TTL, "100h", Setting.MAX_TTL, "48h"),
                        new String[] {"defaultTtl (--default-ttl, DEFAULT_WORKLOAD_CERT_TTL) = \"100h\"", "above the max TTL 48h"}),
                Arguments.of(Map.of(Setting.TRUST_DOMAIN, "Cluster.Local"),
                        new String[] {"trustDomain (--trust-domain, TRUST_DOMAIN) = \"Cluster.Local\"", "not a valid SPIFFE trust domain"}),
                Arguments.of(Map.of(Setting.TRUST_DOMAIN, "spiffe://cluster.local"),
                        new String[] {"trustDomain", "give the trust domain name alone, e.g. cluster.local"}),
                Arguments.of(Map.of(Setting.MAX_TTL, "90d"),
                        new String[] {"maxTtl (--max-ttl, MAX_WORKLOAD_CERT_TTL) = \"90d\"", "Go's syntax", "2160h"}),
                Arguments.of(Map.of(Setting.DEFAULT_TTL, "0s"), new String[] {"defaultTtl", "must be positive"}),
                Arguments.of(Map.of(Setting.GRPC_ADDR, "15012"),
                        new String[] {"grpcAddr (--grpc-addr, MESHID_GRPC_ADDR) = \"15012\"", "HOST:PORT"}),
                Arguments.of(Map.of(Setting.HTTP_ADDR, ":99999"), new String[] {"httpAddr", "outside 0-65535"}),
                Arguments.of(Map.of(Setting.GRPC_ADDR, "::1:80"), new String[] {"grpcAddr", "brackets"}),
                Arguments.of(Map.of(Setting.CACERTS_DIR, "/etc/cacerts", Setting.SELF_SIGNED_DIR, "/var/ca"),
                        new String[] {"cacertsDir", "selfSignedDir", "both set", "choose one"}),
                Arguments.of(Map.of(Setting.CACERTS_DIR, "/etc/cacerts", Setting.K8S_CACERTS_SECRET, "istio-system/cacerts"),
                        new String[] {"cacertsDir", "k8sCacertsSecret", "both set"}),
                Arguments.of(Map.of(Setting.K8S_CACERTS_SECRET, "cacerts"), new String[] {"k8sCacertsSecret", "NAMESPACE/NAME"}),
                Arguments.of(Map.of(Setting.JWKS_FILE, "/jwks.json"), new String[] {"jwksFile", "jwtIssuer", "is not"}),
                Arguments.of(Map.of(Setting.JWKS_FILE, "/a", Setting.JWKS_URL, "https://x.example/jwks", Setting.JWT_ISSUER, "i"),
                        new String[] {"jwksFile", "jwksUrl", "both set"}),
                Arguments.of(Map.of(Setting.JWKS_URL, "ftp://x.example/jwks", Setting.JWT_ISSUER, "i"),
                        new String[] {"jwksUrl", "http(s) URL"}),
                Arguments.of(Map.of(Setting.INSECURE_PLAINTEXT, "yes"), new String[] {"insecurePlaintext", "true or false"}),
                Arguments.of(Map.of(Setting.TOKEN_AUDIENCE, " , "), new String[] {"tokenAudience", "istio-ca"}),
                Arguments.of(Map.of(Setting.SERVING_DNS, "istiod svc"), new String[] {"servingDns", "not a DNS name"}),
                Arguments.of(Map.of(Setting.MAX_IN_FLIGHT, "0"), new String[] {"maxInFlight", "from 1 to"}),
                Arguments.of(Map.of(Setting.SIGNING_THREADS, "many"), new String[] {"signingThreads", "whole number"}));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void load_invalidValue_messageNamesSettingValueAndFix(Map<Setting, String> flags, String[] expected) {
        assertThatThrownBy(() -> ConfigLoader.load(flags, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(expected));
    }

    @Test
    void load_invalidValueFromEnvironment_namesTheVariableAsSource() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("MESHID_GRPC_ADDR", "nope")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("from environment MESHID_GRPC_ADDR");
    }

    @Test
    void load_rootRotation_defaultsToAFifthOfTheLifeAndADayOfGrace_andReadsTheEnvironment() throws Exception {
        CaConfig defaults = ConfigLoader.load(Map.of(), Map.of());
        CaConfig set = ConfigLoader.load(Map.of(), Map.of("MESHID_ROOT_ROTATION_FRACTION", "0.35",
                "MESHID_ROOT_ROTATION_GRACE", "90m"));

        assertThat(defaults.rootRotationFraction()).isEqualTo(0.2);
        assertThat(defaults.rootRotationGrace()).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(set.rootRotationFraction()).isEqualTo(0.35);
        assertThat(set.rootRotationGrace()).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(ConfigPrinter.toYaml(set)).contains("rootRotationFraction: 0.35").contains("rootRotationGrace: 1h30m");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "MESHID_ROOT_ROTATION_FRACTION|1|must be between 0 and 1",
        "MESHID_ROOT_ROTATION_FRACTION|0|must be between 0 and 1",
        "MESHID_ROOT_ROTATION_FRACTION|a fifth|not a number",
        "MESHID_ROOT_ROTATION_GRACE|-1h|must not be negative",
    })
    void load_badRootRotationSetting_saysWhatIsWrongAndNamesTheVariable(String env, String value, String problem) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(env, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(problem)
                .hasMessageContaining("from environment " + env);
    }
}
