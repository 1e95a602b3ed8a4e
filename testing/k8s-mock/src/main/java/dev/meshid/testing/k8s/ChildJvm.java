package dev.meshid.testing.k8s;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the child JVM. Its classpath is this module's own classes (wherever the parent
 * found them: {@code target/classes} in a reactor build, or the jar) followed by the module's runtime
 * dependencies, which the build wrote into {@value #CLASSPATH_RESOURCE} next to this class.
 */
final class ChildJvm {

    static final String CLASSPATH_RESOURCE = "child-classpath.txt";

    // A short-lived test helper: a small heap and the quick-start compiler keep start-up and memory low.
    private static final List<String> JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8");

    private ChildJvm() {
    }

    /** {@code java <options> -cp <classpath> dev.meshid.testing.k8s.MockApiServerMain}. */
    static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(classpath());
        // By name, so that the parent never loads the class (and with it mockwebserver and Vert.x 4).
        command.add("dev.meshid.testing.k8s.MockApiServerMain");
        return command;
    }

    static Path javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no java executable at " + java
                    + ": run the tests on a full JDK or JRE whose java.home has bin/java");
        }
        return java;
    }

    static String classpath() {
        List<String> entries = new ArrayList<>();
        entries.add(ownLocation().toString());
        for (String entry : dependencyClasspath().split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException("the mock API server's classpath names " + entry
                        + ", which does not exist: rebuild meshid-k8s-mock"
                        + " (./mvnw -pl testing/k8s-mock install) so the file is written afresh");
            }
            entries.add(entry);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path ownLocation() {
        CodeSource source = ChildJvm.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell where " + ChildJvm.class.getName()
                    + " was loaded from, so the child JVM cannot find it: put meshid-k8s-mock on the classpath as"
                    + " a jar or a classes directory");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unusable code source " + source.getLocation(), e);
        }
    }

    private static String dependencyClasspath() {
        try (InputStream in = ChildJvm.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing next to " + ChildJvm.class.getName()
                        + ": it is written by maven-dependency-plugin in generate-resources; build meshid-k8s-mock"
                        + " with Maven rather than only compiling it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLASSPATH_RESOURCE, e);
        }
    }
}
