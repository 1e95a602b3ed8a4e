package dev.meshid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine cl = AgentCommand.commandLine(env);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void printConfig_flagsOverEnv_printsEffectiveValuesAndExitsZero() {
        int code = run(Map.of("SECRET_TTL", "12h", "POD_NAMESPACE", "shop"), "--print-config",
                "--secret-ttl", "1h", "--service-account", "web");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("SECRET_TTL: \"1h\"").contains("POD_NAMESPACE: \"shop\"")
                .contains("# identity: spiffe://cluster.local/ns/shop/sa/web")
                .contains("CA_ADDR: \"istiod.istio-system.svc:15012\"").contains("# key: EC P-256");
    }

    @Test
    void call_badEnvValue_exitsTwoNamingSettingAndValue() {
        int code = run(Map.of("SECRET_GRACE_PERIOD_RATIO", "2"), "--print-config");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("SECRET_GRACE_PERIOD_RATIO").contains("\"2\"").contains("between 0 and 1");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void help_listsFlagsWithTheirEnvironmentTwins() {
        int code = run(Map.of(), "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--sds-socket").contains("--workload-api-socket").contains("[CA_ADDR]")
                .contains("--admin-addr").contains("[SECRET_GRACE_PERIOD_RATIO_JITTER]");
    }
}
