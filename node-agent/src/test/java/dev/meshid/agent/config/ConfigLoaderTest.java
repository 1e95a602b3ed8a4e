package dev.meshid.agent.config;

import dev.meshid.settings.GoDuration;
import dev.meshid.settings.HostPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshid.pki.crypto.KeyAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void load_nothingSet_givesIstioDefaultsAndMeshidKey() throws Exception {
        AgentConfig c = ConfigLoader.load(Map.of(), Map.of());
        assertThat(c.caAddr()).isEqualTo(new HostPort("istiod.istio-system.svc", 15012));
        assertThat(c.caServerName()).isEqualTo("istiod.istio-system.svc");
        assertThat(c.spiffeId().toString()).isEqualTo("spiffe://cluster.local/ns/default/sa/default");
        assertThat(c.secretTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.rotation().graceRatio()).isEqualTo(0.5);
        assertThat(c.rotation().jitter()).isEqualTo(0.01);
        assertThat(c.keyAlgorithm()).isEqualTo(KeyAlgorithm.EC_P256);
        assertThat(c.pkcs8Key()).isFalse();
        assertThat(c.outputCerts()).isEmpty();
        assertThat(c.tokenPath()).isEqualTo(Path.of("./var/run/secrets/tokens/istio-token"));
        assertThat(c.caRoot()).isEqualTo(Path.of("./var/run/secrets/istio/root-cert.pem"));
        assertThat(c.sdsSocket()).isEqualTo(Path.of("./var/run/secrets/workload-spiffe-uds/socket"));
        assertThat(c.adminAddr()).contains(new HostPort("127.0.0.1", 15020));
        assertThat(c.clusterId()).isEmpty();
        assertThat(c.bundleStream()).isTrue();
    }

    @Test
    void load_bundleStreamOff_byFlagOrEnvironment() throws Exception {
        assertThat(ConfigLoader.load(Map.of(AgentSetting.BUNDLE_STREAM, "false"), Map.of()).bundleStream()).isFalse();
        assertThat(ConfigLoader.load(Map.of(), Map.of("MESHID_BUNDLE_STREAM", "0")).bundleStream()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("MESHID_BUNDLE_STREAM", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("MESHID_BUNDLE_STREAM (--bundle-stream) = \"maybe\" is not valid: expected true or false");
    }

    @Test
    void load_envAndFlags_flagsWinOverEnvWhichWinsOverDefaults() throws Exception {
        Map<String, String> env = Map.of("TRUST_DOMAIN", "example.org", "POD_NAMESPACE", "shop",
                "SERVICE_ACCOUNT", "web", "SECRET_TTL", "1h30m", "ISTIO_META_CLUSTER_ID", "c1",
                "OUTPUT_CERTS", "/tmp/out");
        AgentConfig c = ConfigLoader.load(Map.of(AgentSetting.SERVICE_ACCOUNT, "api",
                AgentSetting.SECRET_TTL, "90s"), env);
        assertThat(c.spiffeId().toString()).isEqualTo("spiffe://example.org/ns/shop/sa/api");
        assertThat(c.secretTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.clusterId()).contains("c1");
        assertThat(c.outputCerts()).contains(Path.of("/tmp/out"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        "ECDSA, P256, 2048, EC_P256",
        "'', P384, 2048, EC_P384",
        "ecdsa, p-384, 2048, EC_P384",
        "RSA, P256, 2048, RSA_2048",
        "RSA, P256, 4096, RSA_4096",
    })
    void load_keySettings_pickTheKeyAlgorithm(String alg, String curve, String size, KeyAlgorithm expected)
            throws Exception {
        AgentConfig c = ConfigLoader.load(Map.of(), Map.of("ECC_SIGNATURE_ALGORITHM", alg, "ECC_CURVE", curve,
                "WORKLOAD_RSA_KEY_SIZE", size));
        assertThat(c.keyAlgorithm()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "SECRET_TTL, abc, Go duration",
        "SECRET_TTL, 0, positive",
        "SECRET_TTL, -1h, positive",
        "SECRET_GRACE_PERIOD_RATIO, 1.5, between 0 and 1",
        "SECRET_GRACE_PERIOD_RATIO, x, decimal number",
        "SECRET_GRACE_PERIOD_RATIO_JITTER, 0.6, min(ratio, 1 - ratio)",
        "ECC_SIGNATURE_ALGORITHM, DSA, ECDSA",
        "ECC_CURVE, P521, P256 or P384",
        "PKCS8_KEY, yes, true or false",
        "CA_ADDR, istiod, HOST:PORT",
        "CA_ADDR, 'istiod:99999', 65535",
        "CA_ADDR, ':15012', the host is empty",
        "CA_ADDR, '::1:15012', brackets",
        "TRUST_DOMAIN, 'Bad Domain', ''",
        "POD_NAMESPACE, 'a/b', Kubernetes name",
        "MESHID_ADMIN_ADDR, nope, HOST:PORT",
    })
    void load_badValue_isRefusedNamingSettingValueAndWhatIsValid(String env, String value, String valid) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(env, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(env)
                .hasMessageContaining("\"" + value + "\"")
                .hasMessageContaining(valid);
    }

    @Test
    void load_rsaWithBadSize_namesTheRsaSetting() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(),
                Map.of("ECC_SIGNATURE_ALGORITHM", "RSA", "WORKLOAD_RSA_KEY_SIZE", "1024")))
                .hasMessageContaining("WORKLOAD_RSA_KEY_SIZE").hasMessageContaining("2048, 3072 or 4096");
    }

    @Test
    void load_offForOptionalEndpoints_disablesThem() throws Exception {
        AgentConfig c = ConfigLoader.load(Map.of(AgentSetting.ADMIN_ADDR, "off",
                AgentSetting.WORKLOAD_API_SOCKET, "off"), Map.of());
        assertThat(c.adminAddr()).isEmpty();
        assertThat(c.workloadApiSocket()).isEmpty();
    }

    @Test
    void load_caServerNameOverride_replacesTheHostOfCaAddr() throws Exception {
        AgentConfig c = ConfigLoader.load(Map.of(AgentSetting.CA_ADDR, "127.0.0.1:15012",
                AgentSetting.CA_SERVER_NAME, "istiod.istio-system.svc"), Map.of());
        assertThat(c.caAddr().host()).isEqualTo("127.0.0.1");
        assertThat(c.caServerName()).isEqualTo("istiod.istio-system.svc");
    }

    @ParameterizedTest
    @CsvSource({"90s, 90000", "1h30m, 5400000", "1.5h, 5400000", "300ms, 300", "24h, 86400000", "2160h, 7776000000"})
    void goDuration_goSyntax_parses(String text, long millis) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(GoDuration.parse(GoDuration.format(Duration.ofMillis(millis)))).isEqualTo(Duration.ofMillis(millis));
    }
}
