package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.policies.PolicySet;
import dev.meshid.policies.model.PolicyResource;
import dev.meshid.policies.yaml.PolicyYamlLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example's policy ConfigMap is mounted where --policy-dir points and loads with the proxy's own loader. */
class PolicyConfigMapTest {
    private final Deployment deployment = Manifests.one(Manifests.WORKLOAD, Deployment.class, "details");
    private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    private final Container proxy = Pods.container(pod, "meshid-proxy");

    private ConfigMap mountedPolicies() {
        String dir = WorkloadExampleTest.flag(proxy, "--policy-dir");
        VolumeMount mount = Pods.mountAt(proxy, dir).orElseThrow(() -> new AssertionError("nothing at " + dir));
        Volume v = Pods.volume(pod, mount.getName());
        assertThat(v.getConfigMap()).as("a ConfigMap volume").isNotNull();
        return Manifests.one(Manifests.WORKLOAD, ConfigMap.class, v.getConfigMap().getName());
    }

    @Test
    void policyDir_isTheMountedConfigMap_andEveryFileLoadsWithThePolicyLoader(@TempDir Path dir) throws Exception {
        ConfigMap cm = mountedPolicies();
        assertThat(cm.getData()).isNotEmpty();
        for (Map.Entry<String, String> e : cm.getData().entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        String rootNamespace = WorkloadExampleTest.proxyDefault("--root-namespace");
        PolicySet set = new PolicyYamlLoader().loadPolicySet(dir, rootNamespace);
        assertThat(set.resources()).hasSize(cm.getData().size());
        assertThat(set.resources()).extracting(r -> r.meta().toString()).anySatisfy(m -> assertThat(m).contains("details-viewer"));
    }

    @Test
    void selectedPolicies_matchThePodsLabels_andTheLabelsTheProxyIsGiven(@TempDir Path dir) throws Exception {
        ConfigMap cm = mountedPolicies();
        for (Map.Entry<String, String> e : cm.getData().entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> proxyLabels = new LinkedHashMap<>();
        for (String kv : WorkloadExampleTest.flag(proxy, "--labels").split(",")) {
            proxyLabels.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        assertThat(podLabels).containsAllEntriesOf(proxyLabels);
        for (PolicyResource r : new PolicyYamlLoader().load(dir)) {
            if (r.hasSelector()) {
                assertThat(Pods.selects(r.selector(), proxyLabels)).as(r.meta() + " selects this workload").isTrue();
            }
        }
    }
}
