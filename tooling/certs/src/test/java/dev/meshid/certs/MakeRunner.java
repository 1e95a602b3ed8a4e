package dev.meshid.certs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code make -f tooling/certs/Makefile} in a directory, with {@code MESHID} pointing at
 * {@link TestMeshidMain} on this JVM's class path, so no packaged distribution is needed.
 */
final class MakeRunner {
    static final Path MAKEFILE = Path.of(System.getProperty("user.dir")).resolve("Makefile").toAbsolutePath();

    record Result(int exitCode, String output) {
    }

    private MakeRunner() {
    }

    /** The MESHID value: this JVM's java, class path and fast-start flags, then the test main. */
    static String meshid() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return java + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "
                + System.getProperty("java.class.path") + " " + TestMeshidMain.class.getName();
    }

    /** {@code make -f <Makefile> MESHID=... args...} in {@code dir}; output and error merged. */
    static Result make(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("make", "--no-print-directory", "-f", MAKEFILE.toString(),
                "MESHID=" + meshid()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("make " + args + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** As {@link #make}, failing with make's output unless it exits 0. */
    static String ok(Path dir, String... args) throws IOException, InterruptedException {
        Result r = make(dir, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("make " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }
}
