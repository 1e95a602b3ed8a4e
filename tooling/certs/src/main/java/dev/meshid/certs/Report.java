package dev.meshid.certs;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Model.CommandSpec;

/** The one line a generating command prints when it is done, and names as people read them. */
final class Report {
    private Report() {
    }

    /** {@code wrote <what> (<key>, valid until <NotAfter>): <files>}. */
    static void written(CommandSpec spec, String what, X509Certificate cert, Path... files) {
        spec.commandLine().getOut().println("wrote " + what + " (" + CertificateText.key(cert.getPublicKey())
                + ", valid until " + cert.getNotAfter().toInstant() + "): "
                + Arrays.stream(files).map(Path::toString).collect(Collectors.joining(", ")));
        spec.commandLine().getOut().flush();
    }

    /**
     * A DN in the order its parts are encoded ({@code O=Istio,CN=Root CA}), the order openssl shows and
     * Istio's configuration files write, rather than the reversed RFC 2253 order.
     */
    static String name(X500Principal p) {
        String n = X500Name.getInstance(p.getEncoded()).toString();
        return n.isEmpty() ? "(empty)" : n;
    }
}
