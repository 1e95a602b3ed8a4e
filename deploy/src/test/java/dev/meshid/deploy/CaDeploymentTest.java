package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.ca.CaCommand;
import dev.meshid.ca.config.CaConfig;
import dev.meshid.ca.config.Setting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CA's Deployment, Service, PodDisruptionBudget and ServiceAccount agree with each other and with the code. */
class CaDeploymentTest {
    private static final CaConfig DEFAULTS = CaConfig.defaults();

    private final Deployment deployment = Manifests.one(Manifests.CA, Deployment.class, "meshid-ca");
    private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    private final Container ca = Pods.container(pod, "ca");
    private final Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

    @Test
    void containerPorts_areTheCaDefaultListenPorts() {
        assertThat(ca.getPorts()).extracting(ContainerPort::getContainerPort)
                .containsExactlyInAnyOrder(DEFAULTS.grpcAddr().port(), DEFAULTS.httpAddr().port());
        assertThat(port("grpc-tls")).isEqualTo(DEFAULTS.grpcAddr().port());
        assertThat(port("http-monitoring")).isEqualTo(DEFAULTS.httpAddr().port());
    }

    @Test
    void args_startWithTheCaSubcommand_andParseAsItsFlags() {
        List<String> args = ca.getArgs();
        assertThat(args.get(0)).isEqualTo(CaCommand.class.getAnnotation(CommandLine.Command.class).name());
        CommandLine cl = new CommandLine(new CaCommand(Map.of()));
        // Throws on a flag the CA does not have, or a flag without its value.
        cl.parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        assertThat(cl.getParseResult().matchedOptions()).isNotEmpty();
    }

    @Test
    void cacertsSecret_isMountedOptionallyAndReadOnly_whereCacertsDirPoints() {
        String dir = flagValue("--cacerts-dir");
        VolumeMount mount = Pods.mountAt(ca, dir).orElseThrow(() -> new AssertionError("nothing mounted at " + dir));
        assertThat(mount.getReadOnly()).isTrue();
        Volume v = Pods.volume(pod, mount.getName());
        assertThat(v.getSecret()).as("a secret volume").isNotNull();
        assertThat(v.getSecret().getSecretName()).isEqualTo("cacerts");
        assertThat(v.getSecret().getOptional()).isTrue();
        assertThat(v.getSecret().getDefaultMode()).as("key readable by the group only").isEqualTo(0440);
    }

    @Test
    void downwardApi_givesPodNameAndTheNamespaceSettingsEnvironmentName() {
        assertThat(Pods.env(ca, "POD_NAME")).get().satisfies(e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
        assertThat(Pods.env(ca, Setting.NAMESPACE.env())).get().satisfies(e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace"));
    }

    @Test
    void probes_hitTheMonitoringPort() {
        int http = DEFAULTS.httpAddr().port();
        assertThat(Pods.resolvePort(ca, ca.getLivenessProbe().getHttpGet().getPort())).isEqualTo(http);
        assertThat(Pods.resolvePort(ca, ca.getReadinessProbe().getHttpGet().getPort())).isEqualTo(http);
        assertThat(Pods.resolvePort(ca, ca.getStartupProbe().getHttpGet().getPort())).isEqualTo(http);
        assertThat(ca.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
        assertThat(ca.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz/live");
    }

    @Test
    void replicasAndSpreading_surviveTheLossOfOneNode() {
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        assertThat(Pods.selects(deployment.getSpec().getSelector().getMatchLabels(), podLabels)).isTrue();
        List<WeightedPodAffinityTerm> terms = pod.getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution();
        assertThat(terms).anySatisfy(t -> {
            assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(Pods.selects(t.getPodAffinityTerm().getLabelSelector().getMatchLabels(), podLabels)).isTrue();
        });
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .as("preferred only: a one-node cluster still runs both replicas").isNullOrEmpty();
    }

    @Test
    void podDisruptionBudget_keepsOneCaPodAndSelectsExactlyThem() {
        PodDisruptionBudget pdb = Manifests.one(Manifests.CA, PodDisruptionBudget.class, "meshid-ca");
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(Pods.selects(pdb.getSpec().getSelector().getMatchLabels(), podLabels)).isTrue();
    }

    @Test
    void services_selectTheCaPods_andReachTheDefaultPortsByName() {
        for (String name : List.of("meshid-ca", "istiod")) {
            Service svc = Manifests.one(Manifests.CA, Service.class, name);
            assertThat(Pods.selects(svc.getSpec().getSelector(), podLabels)).as(name + " selects the CA pods").isTrue();
            assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getPort)
                    .containsExactlyInAnyOrder(DEFAULTS.grpcAddr().port(), DEFAULTS.httpAddr().port());
            for (ServicePort p : svc.getSpec().getPorts()) {
                assertThat(Pods.resolvePort(ca, p.getTargetPort())).as(name + " " + p.getName()).isEqualTo(p.getPort());
            }
            ServicePort grpc = svc.getSpec().getPorts().stream()
                    .filter(p -> p.getPort() == DEFAULTS.grpcAddr().port()).findFirst().orElseThrow();
            assertThat(grpc.getName()).isIn("grpc-tls", "tls-grpc");
            // The CA's serving certificate must carry the name clients dial.
            assertThat(DEFAULTS.servingDns()).contains(name + "." + svc.getMetadata().getNamespace() + ".svc");
        }
    }

    @Test
    void serviceAccount_isTheOneThePodRunsAs() {
        ServiceAccount sa = Manifests.one(Manifests.CA, ServiceAccount.class, pod.getServiceAccountName());
        assertThat(sa.getMetadata().getNamespace()).isEqualTo(deployment.getMetadata().getNamespace());
    }

    @Test
    void securityContext_isNonRootReadOnlyWithoutCapabilities_andTmpIsWritable() {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        var sc = ca.getSecurityContext();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(ca.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(ca.getResources().getLimits()).containsKey("memory");
        VolumeMount tmp = Pods.mountAt(ca, "/tmp").orElseThrow(() -> new AssertionError("/tmp is not writable"));
        assertThat(Pods.volume(pod, tmp.getName()).getEmptyDir()).isNotNull();
    }

    private int port(String name) {
        return ca.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow().getContainerPort();
    }

    private String flagValue(String flag) {
        List<String> args = ca.getArgs();
        int i = args.indexOf(flag);
        assertThat(i).as(flag + " in the CA's args").isNotNegative();
        return args.get(i + 1);
    }
}
