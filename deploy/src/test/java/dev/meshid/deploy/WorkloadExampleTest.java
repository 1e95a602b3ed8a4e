package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.agent.AgentCommand;
import dev.meshid.agent.config.AgentSetting;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.Setting;
import dev.meshid.proxy.ProxyCommand;
import dev.meshid.proxy.config.ProxyConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The sample workload's sidecars find the token, the root, the socket and the CA where the code looks. */
class WorkloadExampleTest {
    private final Deployment deployment = Manifests.one(Manifests.WORKLOAD, Deployment.class, "details");
    private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    private final Container agent = Pods.container(pod, "meshid-agent");
    private final Container proxy = Pods.container(pod, "meshid-proxy");

    private static String agentDefault(AgentSetting s) {
        return s.defaultValue().orElseThrow(() -> new AssertionError(s + " has no default"));
    }

    @Test
    void sidecars_runInTheRootDirectory_soIstioRelativeDefaultsAreTheMounts() {
        assertThat(agent.getWorkingDir()).isEqualTo("/");
        assertThat(proxy.getWorkingDir()).isEqualTo("/");
    }

    @Test
    void projectedToken_hasTheCaAudience_twelveHours_atTheAgentsDefaultTokenPath() {
        Path tokenFile = Path.of(Pods.resolve(agent, agentDefault(AgentSetting.TOKEN_PATH)));
        VolumeMount mount = Pods.mountAt(agent, tokenFile.getParent().toString())
                .orElseThrow(() -> new AssertionError("nothing mounted at " + tokenFile.getParent()));
        Volume v = Pods.volume(pod, mount.getName());
        ServiceAccountTokenProjection token = v.getProjected().getSources().stream()
                .map(VolumeProjection::getServiceAccountToken).filter(t -> t != null).findFirst().orElseThrow();
        assertThat(token.getPath()).isEqualTo(tokenFile.getFileName().toString());
        assertThat(token.getAudience()).isEqualTo(Setting.TOKEN_AUDIENCE.defaultValue().orElseThrow())
                .isIn(CaConfig.defaults().tokenAudiences());
        assertThat(token.getExpirationSeconds()).isEqualTo(12L * 3600);
        assertThat(mount.getReadOnly()).isTrue();
    }

    @Test
    void rootConfigMap_isTheOneThePublisherWrites_atTheAgentsDefaultCaRootPath() {
        Path root = Path.of(Pods.resolve(agent, agentDefault(AgentSetting.CA_ROOT)));
        VolumeMount mount = Pods.mountAt(agent, root.getParent().toString())
                .orElseThrow(() -> new AssertionError("nothing mounted at " + root.getParent()));
        Volume v = Pods.volume(pod, mount.getName());
        assertThat(v.getConfigMap().getName()).isEqualTo(RootConfigMapsName.name());
        // Without items every key becomes a file of its own name.
        assertThat(v.getConfigMap().getItems()).isNullOrEmpty();
        assertThat(root.getFileName().toString()).isEqualTo(RootConfigMapsName.dataKey());
    }

    @Test
    void sdsSocketDirectory_isOneEmptyDirSharedByAgentAndProxy_atBothDefaults() {
        Path agentSocket = Path.of(Pods.resolve(agent, agentDefault(AgentSetting.SDS_SOCKET)));
        Path proxySocket = Path.of(Pods.resolve(proxy, ProxyConfig.DEFAULT_SDS_SOCKET));
        assertThat(proxySocket).isEqualTo(agentSocket);
        String dir = agentSocket.getParent().toString();
        VolumeMount a = Pods.mountAt(agent, dir).orElseThrow(() -> new AssertionError("agent: nothing at " + dir));
        VolumeMount p = Pods.mountAt(proxy, dir).orElseThrow(() -> new AssertionError("proxy: nothing at " + dir));
        assertThat(p.getName()).isEqualTo(a.getName());
        assertThat(a.getReadOnly()).as("the agent creates the socket").isNotEqualTo(Boolean.TRUE);
        assertThat(Pods.volume(pod, a.getName()).getEmptyDir()).isNotNull();
        // The Workload API socket lives in the same directory.
        assertThat(Path.of(Pods.resolve(agent, agentDefault(AgentSetting.WORKLOAD_API_SOCKET))).getParent())
                .isEqualTo(agentSocket.getParent());
    }

    @Test
    void caAddr_namesTheCaServiceOnItsGrpcPort_andANameOnTheCasCertificate() {
        String caAddr = Pods.env(agent, AgentSetting.CA_ADDR.env()).orElseThrow().getValue();
        String host = caAddr.substring(0, caAddr.lastIndexOf(':'));
        int port = Integer.parseInt(caAddr.substring(caAddr.lastIndexOf(':') + 1));
        String[] parts = host.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(parts[2]).isEqualTo("svc");
        Service svc = Manifests.one(Manifests.CA, Service.class, parts[0]);
        assertThat(svc.getMetadata().getNamespace()).isEqualTo(parts[1]);
        Deployment caDeployment = Manifests.one(Manifests.CA, Deployment.class, "meshid-ca");
        Container ca = Pods.container(caDeployment.getSpec().getTemplate().getSpec(), "ca");
        ServicePort sp = svc.getSpec().getPorts().stream().filter(x -> x.getPort() == port).findFirst().orElseThrow();
        assertThat(Pods.resolvePort(ca, sp.getTargetPort())).isEqualTo(CaConfig.defaults().grpcAddr().port());
        assertThat(CaConfig.defaults().servingDns()).contains(host);
    }

    @Test
    void agentIdentity_comesFromTheDownwardApi_underIstiosNames() {
        assertThat(Pods.env(agent, AgentSetting.POD_NAMESPACE.env())).get().satisfies(e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace"));
        assertThat(Pods.env(agent, AgentSetting.SERVICE_ACCOUNT.env())).get().satisfies(e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.serviceAccountName"));
        assertThat(Pods.env(agent, AgentSetting.TRUST_DOMAIN.env()).orElseThrow().getValue())
                .isEqualTo(CaConfig.defaults().trustDomain().toString());
        assertThat(pod.getAutomountServiceAccountToken()).as("only the projected CA token is mounted").isFalse();
        assertThat(pod.getServiceAccountName()).isNotBlank();
        Manifests.one(Manifests.WORKLOAD, io.fabric8.kubernetes.api.model.ServiceAccount.class,
                pod.getServiceAccountName());
    }

    @Test
    void args_startWithEachSidecarsSubcommand_andParseAsItsFlags() {
        assertThat(agent.getArgs().get(0)).isEqualTo(AgentCommand.class.getAnnotation(CommandLine.Command.class).name());
        CommandLine agentCl = AgentCommand.commandLine(Map.of());
        agentCl.parseArgs(rest(agent));
        assertThat(proxy.getArgs().get(0)).isEqualTo(ProxyCommand.class.getAnnotation(CommandLine.Command.class).name());
        new CommandLine(new ProxyCommand()).parseArgs(rest(proxy));
    }

    @Test
    void ports_areTheSidecarsDefaults_andProbesReachTheAdminListeners() {
        int inbound = port(proxyDefault("--inbound-addr"));
        assertThat(containerPort(proxy, "mtls-inbound")).isEqualTo(inbound);
        assertThat(port(flag(proxy, "--admin-addr"))).isEqualTo(port(proxyDefault("--admin-addr")))
                .isEqualTo(Pods.resolvePort(proxy, proxy.getReadinessProbe().getHttpGet().getPort()));
        assertThat(port(flag(agent, "--admin-addr"))).isEqualTo(port(agentDefault(AgentSetting.ADMIN_ADDR)))
                .isEqualTo(Pods.resolvePort(agent, agent.getReadinessProbe().getHttpGet().getPort()));
        assertThat(Manifests.source("node-agent", "dev/meshid/agent/admin/AdminServer.java"))
                .contains("context(server, guard, \"" + agent.getReadinessProbe().getHttpGet().getPath() + "\"");
        assertThat(Manifests.source("proxy", "dev/meshid/proxy/admin/AdminHandler.java"))
                .contains("case \"" + proxy.getReadinessProbe().getHttpGet().getPath() + "\"");
        assertThat(flag(proxy, "--app-addr")).isEqualTo(proxyDefault("--app-addr"));
    }

    @Test
    void service_selectsTheWorkload_andTargetsTheProxysInboundPort() {
        Service svc = Manifests.one(Manifests.WORKLOAD, Service.class, "details");
        assertThat(Pods.selects(svc.getSpec().getSelector(), deployment.getSpec().getTemplate().getMetadata().getLabels()))
                .isTrue();
        for (ServicePort p : svc.getSpec().getPorts()) {
            assertThat(Pods.resolvePort(proxy, p.getTargetPort())).isEqualTo(port(proxyDefault("--inbound-addr")));
        }
    }

    @Test
    void sidecars_areNonRootReadOnly_withAWritableTmp() {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        for (Container c : List.of(agent, proxy)) {
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            VolumeMount tmp = Pods.mountAt(c, "/tmp").orElseThrow(() -> new AssertionError(c.getName() + ": no /tmp"));
            assertThat(Pods.volume(pod, tmp.getName()).getEmptyDir()).isNotNull();
        }
    }

    static String[] rest(Container c) {
        return c.getArgs().subList(1, c.getArgs().size()).toArray(String[]::new);
    }

    static String flag(Container c, String flag) {
        int i = c.getArgs().indexOf(flag);
        assertThat(i).as(c.getName() + " passes " + flag).isPositive();
        return c.getArgs().get(i + 1);
    }

    /** The default of a proxy flag, as picocli resolves it (MESHID_* variables are unset in tests). */
    static String proxyDefault(String flag) {
        CommandLine cl = new CommandLine(new ProxyCommand());
        cl.parseArgs();
        Object v = cl.getCommandSpec().findOption(flag).getValue();
        return String.valueOf(v);
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static int containerPort(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow().getContainerPort();
    }
}
