package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.AgentCommand;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.ca.CaCommand;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.proxy.ProxyCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The three Dockerfiles, checked as text (no Docker engine where these tests run): temurin 17 bases, an
 * unprivileged user that matches the manifests, the launcher as entrypoint with the role's real subcommand,
 * the launcher's distribution layout, and EXPOSE = the code's default ports.
 */
class DockerfilesTest {
    private static final String LAUNCHER_IN_IMAGE = "/opt/meshid/bin/meshid";

    enum Role {
        CA(CaCommand.class), AGENT(AgentCommand.class), PROXY(ProxyCommand.class);

        final Class<?> command;

        Role(Class<?> command) {
            this.command = command;
        }

        String subcommand() {
            return command.getAnnotation(CommandLine.Command.class).name();
        }

        Dockerfile dockerfile() {
            return Dockerfile.read(Manifests.DEPLOY.resolve("docker/Dockerfile." + name().toLowerCase()));
        }

        Set<Integer> defaultPorts() {
            return switch (this) {
                case CA -> Set.of(CaConfig.defaults().grpcAddr().port(), CaConfig.defaults().httpAddr().port());
                case AGENT -> Set.of(WorkloadExampleTest.port(AgentSetting.ADMIN_ADDR.defaultValue().orElseThrow()));
                case PROXY -> Set.of(WorkloadExampleTest.port(WorkloadExampleTest.proxyDefault("--inbound-addr")),
                        WorkloadExampleTest.port(WorkloadExampleTest.proxyDefault("--outbound-addr")),
                        WorkloadExampleTest.port(WorkloadExampleTest.proxyDefault("--admin-addr")));
            };
        }

        /** The manifest container that runs this image. */
        Container container() {
            return this == CA
                    ? Pods.container(Manifests.one(Manifests.CA, Deployment.class, "meshid-ca").getSpec().getTemplate()
                            .getSpec(), "ca")
                    : Pods.container(workloadPod(), "meshid-" + name().toLowerCase());
        }

        PodSpec pod() {
            return this == CA ? Manifests.one(Manifests.CA, Deployment.class, "meshid-ca").getSpec().getTemplate().getSpec()
                    : workloadPod();
        }

        private static PodSpec workloadPod() {
            return Manifests.one(Manifests.WORKLOAD, Deployment.class, "details").getSpec().getTemplate().getSpec();
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void baseImages_areTemurin17_jdkToBuild_jreToRun(Role role) {
        List<String> froms = role.dockerfile().all("FROM");
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms.get(0)).startsWith("eclipse-temurin:17-jdk");
        assertThat(froms.get(froms.size() - 1)).startsWith("eclipse-temurin:17-jre");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void user_isNumericNonRoot_andTheUidTheManifestRunsAs(Role role) {
        String user = role.dockerfile().last("USER");
        long uid = Long.parseLong(user.split(":")[0]);
        assertThat(uid).as("a numeric uid lets the kubelet verify runAsNonRoot").isPositive();
        Long runAs = role.container().getSecurityContext() != null && role.container().getSecurityContext().getRunAsUser() != null
                ? role.container().getSecurityContext().getRunAsUser() : role.pod().getSecurityContext().getRunAsUser();
        assertThat(runAs).isEqualTo(uid);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void entrypointIsTheLauncher_andTheDefaultCommandIsTheRolesRealSubcommand(Role role) {
        Dockerfile df = role.dockerfile();
        assertThat(Dockerfile.execForm(df.last("ENTRYPOINT"))).containsExactly(LAUNCHER_IN_IMAGE);
        List<String> cmd = Dockerfile.execForm(df.last("CMD"));
        assertThat(cmd).containsExactly(role.subcommand());
        Container c = role.container();
        assertThat(c.getImage()).startsWith("meshid/meshid-" + role.name().toLowerCase() + ":");
        assertThat(c.getArgs().get(0)).as("the manifest passes the same subcommand").isEqualTo(role.subcommand());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void exposedPorts_areTheCodesDefaultPorts(Role role) {
        Set<Integer> exposed = new TreeSet<>();
        role.dockerfile().all("EXPOSE").forEach(e -> Arrays.stream(e.split("\\s+"))
                .map(p -> Integer.parseInt(p.replace("/tcp", ""))).forEach(exposed::add));
        assertThat(exposed).containsExactlyInAnyOrderElementsOf(role.defaultPorts());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void imageLayout_isTheLaunchersDistributionLayout(Role role) throws IOException {
        String launcher = Files.readString(Manifests.REPO.resolve("bin/meshid"));
        Matcher lib = Pattern.compile("LIB=\"\\$ROOT/([^\"]+)\"").matcher(launcher);
        assertThat(lib.find()).as("bin/meshid defines LIB").isTrue();
        List<String> copies = role.dockerfile().runtimeStage().stream().filter(i -> i.keyword().equals("COPY"))
                .map(Dockerfile.Instruction::args).toList();
        assertThat(copies).anySatisfy(c -> assertThat(c).endsWith(" " + LAUNCHER_IN_IMAGE).contains("bin/meshid "));
        assertThat(copies).as("the launcher's JVM flag file").anySatisfy(c -> assertThat(c).endsWith(" /opt/meshid/bin/jvm-flags"));
        assertThat(copies).as("the launcher's class path file").anySatisfy(c -> assertThat(c).endsWith(" /opt/meshid/bin/jvm-classpath"));
        String root = LAUNCHER_IN_IMAGE.substring(0, LAUNCHER_IN_IMAGE.indexOf("/bin/"));
        assertThat(copies).anySatisfy(c -> assertThat(c).contains(lib.group(1)).endsWith(" " + root + "/" + lib.group(1) + "/"));
        assertThat(role.dockerfile().all("RUN")).anySatisfy(r -> assertThat(r).contains("-pl cli").contains("package"));
        assertThat(role.dockerfile().last("WORKDIR")).isEqualTo("/");
    }

    /**
     * The launcher picks JVM flags by subcommand. Until it has a line for this server, its default line is the
     * short-lived tools' one (C1 only); the image must then restore full JIT through JAVA_OPTS, which comes after.
     */
    @ParameterizedTest
    @EnumSource(Role.class)
    void jvmFlags_comeFromTheLaunchersTable_withToolOnlyFlagsUndoneForServers(Role role) throws IOException {
        Map<String, String> table = launcherFlags();
        assertThat(table).containsKey("default");
        String flags = table.getOrDefault(role.subcommand(), table.get("default"));
        String javaOpts = role.dockerfile().runtimeStage().stream().filter(i -> i.keyword().equals("ENV"))
                .map(Dockerfile.Instruction::args).filter(a -> a.startsWith("JAVA_OPTS=")).findFirst()
                .map(a -> a.substring("JAVA_OPTS=".length()).replace("\"", "")).orElse("");
        String effective = flags + " " + javaOpts;
        Matcher tier = Pattern.compile("-XX:TieredStopAtLevel=(\\d)").matcher(effective);
        int level = 4;
        while (tier.find()) {
            level = Integer.parseInt(tier.group(1));
        }
        assertThat(level).as("the last TieredStopAtLevel a server runs with").isEqualTo(4);
        assertThat(javaOpts).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
    }

    /** The launcher's per-subcommand JVM flags, from the file bin/meshid reads. */
    private static Map<String, String> launcherFlags() throws IOException {
        Map<String, String> table = new HashMap<>();
        for (String line : Files.readAllLines(Manifests.REPO.resolve("bin/jvm-flags"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                table.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return table;
    }
}
