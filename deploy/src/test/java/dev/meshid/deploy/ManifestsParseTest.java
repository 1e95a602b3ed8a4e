package dev.meshid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML file of deploy/ parses, and every Kubernetes object is a known, typed kind with known fields. */
class ManifestsParseTest {

    static List<Path> allYaml() {
        return Manifests.yamlFiles(Manifests.DEPLOY);
    }

    static List<Path> kubernetesYaml() {
        return Manifests.yamlFiles(Manifests.DEPLOY.resolve("kubernetes"));
    }

    @Test
    void deployDirectory_holdsTheExpectedYamlFiles() {
        assertThat(allYaml()).extracting(p -> Manifests.DEPLOY.relativize(p).toString().replace('\\', '/'))
                .contains("envoy/bootstrap.yaml", "kubernetes/ca/kustomization.yaml", "kubernetes/ca/deployment.yaml",
                        "kubernetes/ca/rbac.yaml", "kubernetes/workload-example/kustomization.yaml",
                        "kubernetes/workload-example/deployment.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allYaml")
    void everyYamlFile_parsesIntoAtLeastOneDocument(Path file) {
        List<JsonNode> docs = Manifests.documents(file);
        assertThat(docs).as(file.toString()).isNotEmpty().allSatisfy(d -> assertThat(d.isObject()).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubernetesYaml")
    void everyKubernetesObject_isATypedKindWithoutUnknownFields(Path file) {
        for (JsonNode doc : Manifests.documents(file)) {
            assertThat(doc.path("apiVersion").asText()).as(file + ": apiVersion").isNotBlank();
            assertThat(doc.path("kind").asText()).as(file + ": kind").isNotBlank();
        }
        for (HasMetadata o : Manifests.objects(file)) {
            String what = file.getFileName() + ": " + o.getKind() + "/" + o.getMetadata().getName();
            assertThat(Manifests.isGeneric(o)).as(what + " is a kind fabric8 knows").isFalse();
            assertThat(UnknownFields.in(o)).as(what + " has only fields of its schema").isEmpty();
            assertThat(o.getMetadata().getName()).as(what + " has a name").isNotBlank();
        }
    }

    @Test
    void caObjects_liveInIstioSystem_orAreClusterScoped() {
        for (HasMetadata o : Manifests.objectsUnder(Manifests.CA)) {
            if (o instanceof Namespaced) {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind() + "/" + o.getMetadata().getName())
                        .isEqualTo("istio-system");
            } else {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " is cluster-scoped").isNull();
            }
        }
    }

    @Test
    void caKustomization_listsEveryManifestOfItsDirectory_andOnlyExistingFiles() {
        assertKustomizationComplete(Manifests.CA);
    }

    @Test
    void workloadKustomization_listsEveryManifestOfItsDirectory_andOnlyExistingFiles() {
        assertKustomizationComplete(Manifests.WORKLOAD);
    }

    @Test
    void kustomizations_setTheNamespaceTheirObjectsDeclare() {
        assertThat(kustomization(Manifests.CA).path("namespace").asText()).isEqualTo("istio-system");
        String ns = kustomization(Manifests.WORKLOAD).path("namespace").asText();
        assertThat(Manifests.objectsUnder(Manifests.WORKLOAD)).allSatisfy(o ->
                assertThat(o.getMetadata().getNamespace()).isEqualTo(ns));
    }

    private static JsonNode kustomization(Path dir) {
        List<JsonNode> docs = Manifests.documents(dir.resolve("kustomization.yaml"));
        assertThat(docs).hasSize(1);
        assertThat(Manifests.isKustomization(docs.get(0))).isTrue();
        return docs.get(0);
    }

    /** The resources list = the YAML files directly in the directory (optional/ is opt-in). */
    private static void assertKustomizationComplete(Path dir) {
        Set<String> listed = new TreeSet<>();
        kustomization(dir).path("resources").forEach(r -> listed.add(r.asText()));
        for (String r : listed) {
            assertThat(Files.isRegularFile(dir.resolve(r))).as(r + " exists").isTrue();
        }
        List<String> present = new ArrayList<>();
        for (Path p : Manifests.yamlFiles(dir)) {
            if (p.getParent().equals(dir) && !p.getFileName().toString().equals("kustomization.yaml")) {
                present.add(p.getFileName().toString());
            }
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
    }
}
