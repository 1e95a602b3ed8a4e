package dev.meshid.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of {@code deploy/}, loaded the way an operator's tools would: YAML documents split and read with
 * Jackson, Kubernetes objects deserialized by fabric8 into their typed model classes.
 */
final class Manifests {
    /** The {@code deploy/} directory: surefire runs in the module's base directory. */
    static final Path DEPLOY = Path.of("").toAbsolutePath();
    /** The repository root, for reading other modules' sources and the launcher. */
    static final Path REPO = DEPLOY.getParent();
    static final Path CA = DEPLOY.resolve("kubernetes/ca");
    static final Path WORKLOAD = DEPLOY.resolve("kubernetes/workload-example");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    private Manifests() {
    }

    /** Every YAML file under {@code dir}, sorted, build output excluded. */
    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !DEPLOY.relativize(p).startsWith("target"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-empty YAML documents of a file, as JSON trees. */
    static List<JsonNode> documents(Path file) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
                while (it.hasNext()) {
                    JsonNode n = it.next();
                    if (n != null && !n.isNull() && !n.isMissingNode()) {
                        docs.add(n);
                    }
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Whether a document is a kustomize file rather than an object for the API server. */
    static boolean isKustomization(JsonNode doc) {
        return doc.path("apiVersion").asText().startsWith("kustomize.config.k8s.io/");
    }

    /** Every Kubernetes object of a file, typed by fabric8 (an unknown kind becomes a generic resource). */
    static List<HasMetadata> objects(Path file) {
        return documents(file).stream().filter(d -> !isKustomization(d))
                .map(d -> K8S.<HasMetadata>unmarshal(d.toString())).toList();
    }

    /** Every Kubernetes object under a directory. */
    static List<HasMetadata> objectsUnder(Path dir) {
        return yamlFiles(dir).stream().flatMap(f -> objects(f).stream()).toList();
    }

    /** The one object of this type and name under {@code dir}. */
    static <T extends HasMetadata> T one(Path dir, Class<T> type, String name) {
        List<T> found = objectsUnder(dir).stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " named " + name + " under "
                    + DEPLOY.relativize(dir) + ", found " + found.size());
        }
        return found.get(0);
    }

    static boolean isGeneric(HasMetadata o) {
        return o instanceof GenericKubernetesResource;
    }

    /** Source text of a class of another module, e.g. {@code source("ca-server", "dev/meshid/ca/Foo.java")}. */
    static String source(String module, String relative) {
        try {
            return Files.readString(REPO.resolve(module).resolve("src/main/java").resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
