package dev.meshid.certs;

import dev.meshid.pki.pem.Pem;
import dev.meshid.pki.testing.OpenSsl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code meshid certs ...} in-process with captured output, and checks results with openssl. */
final class CertsRun {
    record Result(int exitCode, String out, String err) {
    }

    private CertsRun() {
    }

    static Result run(Clock clock, Object... args) {
        CommandLine cl = CertsCommand.commandLine(new CertsContext(clock, new SecureRandom()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            strings[i] = String.valueOf(args[i]);
        }
        int code = cl.execute(strings);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs and requires exit code 0, failing with the captured output otherwise. */
    static Result ok(Clock clock, Object... args) {
        Result r = run(clock, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("meshid certs " + List.of(args) + " exited " + r.exitCode() + "\nstdout: " + r.out()
                    + "\nstderr: " + r.err());
        }
        return r;
    }

    static List<X509Certificate> certs(Path file) throws Exception {
        return Pem.readCertificates(Files.readString(file));
    }

    static X509Certificate cert(Path file) throws Exception {
        return Pem.readCertificate(Files.readString(file));
    }

    static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** {@code openssl verify -x509_strict -CAfile root [-untrusted ...] extra... leaf}, run on the files themselves. */
    static OpenSsl.Result opensslVerify(Path root, List<Path> untrusted, Path leaf, String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", "-x509_strict", "-CAfile", root.toString()));
        for (Path u : untrusted) {
            args.add("-untrusted");
            args.add(u.toString());
        }
        args.addAll(List.of(extra));
        args.add(leaf.toString());
        return OpenSsl.run(leaf.toAbsolutePath().getParent(), args);
    }

    /** {@code openssl x509 -noout -text} of a certificate file. */
    static String opensslText(Path file) {
        OpenSsl.Result r = OpenSsl.run(file.toAbsolutePath().getParent(), List.of("x509", "-noout", "-text", "-in",
                file.toString()));
        if (!r.ok()) {
            throw new AssertionError("openssl x509 -text failed: " + r.output());
        }
        return r.output();
    }

    /** The SHA-256 fingerprint as openssl prints it, {@code AB:CD:...}. */
    static String opensslFingerprint(Path file) {
        OpenSsl.Result r = OpenSsl.run(file.toAbsolutePath().getParent(),
                List.of("x509", "-noout", "-fingerprint", "-sha256", "-in", file.toString()));
        if (!r.ok()) {
            throw new AssertionError("openssl x509 -fingerprint failed: " + r.output());
        }
        String line = r.output().trim();
        return line.substring(line.indexOf('=') + 1);
    }
}
