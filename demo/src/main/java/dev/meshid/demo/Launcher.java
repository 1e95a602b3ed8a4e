package dev.meshid.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to start a meshid program as a child process: the same {@code java}, class path and main class the user's
 * {@code meshid} command runs, so the demo exercises the real launcher and nothing demo-only.
 *
 * @param java the java executable
 * @param classPath the class path, as {@code -cp} takes it
 * @param mainClass the launcher's main class, which takes the subcommand as its first argument
 */
public record Launcher(Path java, String classPath, String mainClass) {
    /** The main class of {@code bin/meshid}. */
    public static final String MESHID_MAIN = "dev.meshid.cli.Main";
    /** Set by {@code bin/meshid} to the repository root; the distribution is under it. */
    public static final String HOME_PROPERTY = "meshid.home";

    public Launcher {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(mainClass, "mainClass");
        if (classPath == null || classPath.isBlank()) {
            throw new IllegalArgumentException("empty class path; run the demo through bin/meshid");
        }
    }

    /**
     * The launcher of the running JVM: its own java binary; the distribution under {@code meshid.home} when
     * {@code bin/meshid} passed it, else this JVM's class path.
     */
    public static Launcher ofRunningJvm(String mainClass) {
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path lib = Path.of(home, "cli", "target", "dist", "lib");
            if (Files.isDirectory(lib)) {
                return new Launcher(java, lib + "/*", mainClass);
            }
        }
        return new Launcher(java, System.getProperty("java.class.path"), mainClass);
    }

    /**
     * The class path {@code program} runs on: its own jars of the distribution (bin/jvm-classpath, as bin/meshid
     * picks them) when this launcher runs the distribution ({@code lib/*}); this launcher's class path otherwise.
     */
    String classPathFor(Program program) {
        if (classPath.endsWith("/*")) {
            return program.classPath(Path.of(classPath.substring(0, classPath.length() - 2))).orElse(classPath);
        }
        return classPath;
    }

    /** {@code java <flags> -cp <class path> <main> <subcommand> <args...>}. */
    public List<String> command(Program program, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(program.jvmFlags());
        cmd.add("-cp");
        cmd.add(classPathFor(program));
        cmd.add(mainClass);
        cmd.add(program.subcommand());
        cmd.addAll(args);
        return cmd;
    }
}
