package dev.meshid.pki.pem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code /usr/bin/openssl} in a working directory, for interoperability tests of the pem and
 * csr packages. A failing command fails the test with openssl's own error output.
 */
public final class OpensslCli {
    private static final String OPENSSL = "/usr/bin/openssl";

    private final Path dir;

    public OpensslCli(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code openssl args...} and returns its standard output. */
    public String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(OPENSSL);
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "openssl", ".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed (" + p.exitValue() + "): " + cmd + "\n"
                    + Files.readString(err));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Runs openssl and returns the content of a file it wrote in the working directory. */
    public String runAndRead(String file, String... args) throws IOException, InterruptedException {
        run(args);
        return Files.readString(dir.resolve(file), StandardCharsets.US_ASCII);
    }

    /** Writes text to a file in the working directory and returns its name. */
    public String write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text, StandardCharsets.US_ASCII);
        return file;
    }

    public Path dir() {
        return dir;
    }
}
