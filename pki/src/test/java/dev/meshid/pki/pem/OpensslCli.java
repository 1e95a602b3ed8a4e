package dev.meshid.pki.pem;

import dev.meshid.pki.testing.OpenSsl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real openssl in a working directory, for interoperability tests of the pem and csr packages: files are
 * written and read there, and {@link OpenSsl} runs the commands. A failing command fails the test with openssl's
 * own error output.
 */
public final class OpensslCli {
    private final Path dir;

    public OpensslCli(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code openssl args...} and returns its standard output. */
    public String run(String... args) throws IOException {
        return OpenSsl.stdout(dir, List.of(args));
    }

    /** Runs openssl and returns the content of a file it wrote in the working directory. */
    public String runAndRead(String file, String... args) throws IOException {
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
