package dev.meshid.pki.testing;

import dev.meshid.pki.pem.Pem;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real {@code openssl} binary ({@code /usr/bin/openssl}, else the first on {@code PATH}) with a
 * timeout, for checking meshid's certificates with an independent implementation. Certificates are written
 * to a fresh temporary directory that is deleted afterwards. If openssl is not installed, every call fails
 * with a message saying to install it; tests are never skipped silently.
 */
public final class OpenSsl {
    /** How long one openssl run may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What openssl returned: its exit code and its standard output and error, merged. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private OpenSsl() {
    }

    /** The openssl binary, or an {@link IllegalStateException} saying how to install it. */
    public static Path binary() {
        Path usual = Path.of("/usr/bin/openssl");
        if (Files.isExecutable(usual)) {
            return usual;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, "openssl");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("the openssl binary is needed by this test but was not found at "
                + "/usr/bin/openssl or on PATH; install it (Debian/Ubuntu: apt-get install openssl)");
    }

    /**
     * {@code openssl verify -x509_strict -CAfile <roots> [-untrusted <intermediates>] <extraArgs> <leaf>}.
     * Pass e.g. {@code "-purpose", "sslclient"} or {@link #atTime} as extra arguments.
     */
    public static Result verify(X509Certificate root, List<X509Certificate> untrustedIntermediates,
            X509Certificate leaf, String... extraArgs) {
        return verify(List.of(root), untrustedIntermediates, leaf, extraArgs);
    }

    /** {@link #verify(X509Certificate, List, X509Certificate, String...)} with several trusted roots. */
    public static Result verify(List<X509Certificate> roots, List<X509Certificate> untrustedIntermediates,
            X509Certificate leaf, String... extraArgs) {
        return inTempDir(dir -> {
            List<String> args = new ArrayList<>(List.of("verify", "-x509_strict", "-CAfile",
                    write(dir, "roots.pem", roots).toString()));
            if (!untrustedIntermediates.isEmpty()) {
                args.add("-untrusted");
                args.add(write(dir, "untrusted.pem", untrustedIntermediates).toString());
            }
            args.addAll(List.of(extraArgs));
            args.add(write(dir, "leaf.pem", List.of(leaf)).toString());
            return run(dir, args);
        });
    }

    /** {@code -attime <epoch seconds>}: makes openssl check validity at {@code at} rather than its own now. */
    public static String[] atTime(Instant at) {
        return new String[] {"-attime", Long.toString(at.getEpochSecond())};
    }

    /** {@code openssl x509 -noout -text} of the certificate; fails if openssl cannot parse it. */
    public static String text(X509Certificate cert) {
        Result r = inTempDir(dir -> run(dir, List.of("x509", "-noout", "-text", "-in",
                write(dir, "cert.pem", List.of(cert)).toString())));
        if (!r.ok()) {
            throw new AssertionError("openssl x509 -text failed (exit " + r.exitCode() + "):\n" + r.output());
        }
        return r.output();
    }

    /** Runs {@code openssl args...} in {@code dir}; the result holds its standard output and error, merged. */
    public static Result run(Path dir, List<String> args) {
        return exec(dir, args, null);
    }

    /**
     * Runs {@code openssl args...} in {@code dir} and returns its standard output alone, for commands whose output
     * is parsed; a non-zero exit fails with openssl's own error output.
     */
    public static String stdout(Path dir, List<String> args) throws IOException {
        Path err = Files.createTempFile(dir, "openssl", ".err");
        try {
            Result r = exec(dir, args, err);
            if (!r.ok()) {
                throw new IllegalStateException("openssl failed (" + r.exitCode() + "): " + args + "\n"
                        + Files.readString(err));
            }
            return r.output();
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Runs openssl; standard error goes to {@code err}, or into the output when {@code err} is null. */
    private static Result exec(Path dir, List<String> args, Path err) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = (err == null ? pb.redirectErrorStream(true) : pb.redirectError(err.toFile())).start();
            // Small outputs only: read fully, then wait; the timeout still bounds a hung process.
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl did not finish within " + TIMEOUT + ": " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }

    private interface InDir<T> {
        T apply(Path dir) throws IOException;
    }

    private static <T> T inTempDir(InDir<T> body) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("meshid-openssl");
            return body.apply(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                deleteQuietly(dir);
            }
        }
    }

    private static Path write(Path dir, String name, List<X509Certificate> certs) throws IOException {
        return Files.writeString(dir.resolve(name), Pem.write(certs), StandardCharsets.US_ASCII);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
