package dev.meshid.demo;

import dev.meshid.certs.CertsCommand;
import dev.meshid.certs.CertsContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The CA's signing material, made by the same code as {@code meshid certs root-ca} and {@code meshid certs
 * intermediate} (the Makefile's {@code root-ca} and {@code <cluster>-cacerts}), run in-process with EC keys so it
 * takes a blink rather than the seconds RSA 4096 would.
 */
public final class DemoPki {
    private DemoPki() {
    }

    /** Where the files went. */
    public record Files(Path rootDir, Path cacertsDir) {
        /** The root the whole demo trusts. */
        public Path rootCert() {
            return rootDir.resolve("root-cert.pem");
        }
    }

    /** Makes {@code dir/root} (root-key.pem, root-cert.pem) and {@code dir/cacerts} (Istio's plug-in files). */
    public static Files make(Path dir, String trustDomain) throws IOException {
        Path root = dir.resolve("root");
        Path cacerts = dir.resolve("cacerts");
        certs(List.of("root-ca", "--out", root.toString(), "--key-alg", "ec", "--org", "meshid demo",
                "--cn", "meshid demo root CA"));
        certs(List.of("intermediate", "--root-dir", root.toString(), "--out", cacerts.toString(), "--key-alg", "ec",
                "--org", "meshid demo", "--cn", "meshid demo intermediate CA", "--trust-domain", trustDomain));
        return new Files(root, cacerts);
    }

    /** Runs {@code meshid certs ARGS} in-process; returns its output, or throws with it. */
    public static String certs(List<String> args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CertsCommand.commandLine(CertsContext.system())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new IOException("meshid certs " + String.join(" ", args) + " failed (exit " + code + "): "
                    + (err.toString() + out).strip());
        }
        return out.toString();
    }
}
