package dev.meshid.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields that fabric8 did not recognise. Its model classes keep unknown YAML keys in
 * {@code additionalProperties} instead of failing, so a misspelt {@code readinesProbe} would load
 * "successfully" and be ignored by the API server; this walk makes such a typo a test failure.
 */
final class UnknownFields {
    private UnknownFields() {
    }

    /** Paths like {@code spec.template.spec.containers[0].readinesProbe} of every unrecognised key. */
    static List<String> in(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found);
        return found;
    }

    private static void walk(Object o, String path, List<String> found) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = call(g, o);
            String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            if (g.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add((path.isEmpty() ? "" : path + ".") + k));
                }
            } else {
                walk(value, path.isEmpty() ? field : path + "." + field, found);
            }
        }
    }

    private static Object call(Method g, Object o) {
        try {
            return g.invoke(o);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
