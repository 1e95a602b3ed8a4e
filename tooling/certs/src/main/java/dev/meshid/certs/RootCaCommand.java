package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.RootSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.pem.Pem;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshid certs root-ca}: a self-signed root CA, {@code root-key.pem} and {@code root-cert.pem}. */
@Command(name = "root-ca", header = "Create a self-signed root CA: root-key.pem, root-cert.pem.", sortOptions = false,
        description = {"Create a self-signed root CA: root-key.pem and root-cert.pem in --out.",
                "The key is RSA 4096 by default, as Istio's Makefile makes it; --key-alg ec is much faster."})
final class RootCaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write into (created if needed).")
    Path out;

    @Mixin
    KeyOptions key;

    @Option(names = "--days", paramLabel = "N", defaultValue = "3650",
            description = "Validity in days (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--org", paramLabel = "O", defaultValue = "Istio",
            description = "Subject organization (default ${DEFAULT-VALUE}).")
    String org;

    @Option(names = "--cn", paramLabel = "CN", defaultValue = "Root CA",
            description = "Subject common name (default ${DEFAULT-VALUE}).")
    String cn;

    @Option(names = "--force", description = "Replace an existing root-key.pem.")
    boolean force;

    private final CertsContext context;

    RootCaCommand(CertsContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws CertsFailure, PkiException {
        KeyAlgorithm alg = key.resolve(spec, KeyAlgorithm.RSA_4096, 4096);
        Usage.positiveDays(spec, "--days", days);
        RootSpec rootSpec;
        try {
            rootSpec = new RootSpec(Subject.dn(org, cn, null), Duration.ofDays(days), null);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--org/--cn: " + e.getMessage());
        }
        OutputDir dir = new OutputDir(out, force);
        dir.refuseToOverwriteKey(CaDirectory.ROOT_KEY);
        dir.create();

        KeyPair keys = Keys.generate(alg);
        X509Certificate root = new CertificateIssuer(context.clock(), context.random())
                .selfSignedRoot(rootSpec, keys);
        dir.writeKey(CaDirectory.ROOT_KEY, Pem.writePrivateKey(keys.getPrivate()));
        dir.writePublic(CaDirectory.ROOT_CERT, Pem.write(root));
        Report.written(spec, "root CA " + Report.name(root.getSubjectX500Principal()), root,
                dir.path().resolve(CaDirectory.ROOT_KEY), dir.path().resolve(CaDirectory.ROOT_CERT));
        return 0;
    }
}
