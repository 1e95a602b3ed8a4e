package dev.meshid.deploy;

import java.lang.reflect.Field;

/**
 * The name and data key of the root ConfigMap, read from {@code dev.meshid.ca.bundle.RootConfigMaps} (package
 * private in ca-server) so the manifests are checked against what the publisher really writes.
 */
final class RootConfigMapsName {
    private static final String CLASS = "dev.meshid.ca.bundle.RootConfigMaps";

    private RootConfigMapsName() {
    }

    /** {@code istio-ca-root-cert}, as the publisher names its ConfigMaps. */
    static String name() {
        return constant("NAME");
    }

    /** {@code root-cert.pem}, the data key the publisher writes the bundle under. */
    static String dataKey() {
        return constant("DATA_KEY");
    }

    private static String constant(String field) {
        try {
            Field f = Class.forName(CLASS).getDeclaredField(field);
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(CLASS + "." + field + " is gone; update the manifests' root ConfigMap check", e);
        }
    }
}
