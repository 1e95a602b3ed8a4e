package dev.meshid.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.Map;
import java.util.Optional;

/** Small look-ups in pod specs that the wiring tests share. */
final class Pods {
    private Pods() {
    }

    static Container container(PodSpec spec, String name) {
        return spec.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Volume volume(PodSpec spec, String name) {
        return spec.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The mount of the volume {@code volume} in container {@code c}. */
    static Optional<VolumeMount> mountOf(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst();
    }

    /** The volume mounted at exactly {@code path} in container {@code c}. */
    static Optional<VolumeMount> mountAt(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst();
    }

    static Optional<EnvVar> env(Container c, String name) {
        return c.getEnv() == null ? Optional.empty()
                : c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    /** The container port a probe or Service refers to, by number or by name. */
    static int resolvePort(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError("container " + c.getName() + " has no port named "
                        + port.getStrVal()));
    }

    /** Whether a label selector (matchLabels form) selects objects with these labels. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** An absolute path for a path relative to the container's working directory. */
    static String resolve(Container c, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        String wd = c.getWorkingDir() == null ? "" : c.getWorkingDir();
        return java.nio.file.Path.of(wd.isEmpty() ? "/" : wd).resolve(path).normalize().toString();
    }
}
