package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.IntermediateSpec;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.InvalidSpiffeIdException;
import dev.meshid.pki.id.TrustDomain;
import dev.meshid.pki.pem.Pem;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshid certs intermediate}: an intermediate CA signed by a root directory, written as Istio's
 * plug-in CA files ({@code ca-key.pem}, {@code ca-cert.pem}, {@code cert-chain.pem}, {@code root-cert.pem}).
 */
@Command(name = "intermediate", header = "Create an intermediate CA as Istio plug-in CA files.", sortOptions = false,
        description = {"Create an intermediate CA signed by the root in --root-dir, as Istio's plug-in CA files:",
                "ca-key.pem, ca-cert.pem, cert-chain.pem (ca-cert then root) and root-cert.pem in --out.",
                "The key is RSA 4096 by default, as Istio's Makefile makes it; --key-alg ec is much faster."})
final class IntermediateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--root-dir", required = true, paramLabel = "DIR",
            description = "Directory with root-cert.pem and root-key.pem.")
    Path rootDir;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write into (created if needed).")
    Path out;

    @Mixin
    KeyOptions key;

    @Option(names = "--days", paramLabel = "N", defaultValue = "3650",
            description = "Validity in days (default ${DEFAULT-VALUE}); never past the root's expiry.")
    int days;

    @Option(names = "--org", paramLabel = "O", defaultValue = "Istio",
            description = "Subject organization (default ${DEFAULT-VALUE}).")
    String org;

    @Option(names = "--cn", paramLabel = "CN", defaultValue = "Intermediate CA",
            description = "Subject common name (default ${DEFAULT-VALUE}).")
    String cn;

    @Option(names = "--locality", paramLabel = "L",
            description = "Subject locality; Istio's Makefile puts the cluster name here (default: none).")
    String locality;

    @Option(names = "--san-dns", paramLabel = "NAME", split = ",", defaultValue = "istiod.istio-system.svc",
            description = "DNS SAN of the CA, repeatable or comma-separated (default ${DEFAULT-VALUE}).")
    List<String> sanDns = new ArrayList<>();

    @Option(names = "--trust-domain", paramLabel = "TD",
            description = "Add the URI SAN spiffe://TD, as SPIFFE recommends for signing CAs (default: none).")
    String trustDomain;

    @Option(names = "--path-len", paramLabel = "N", defaultValue = "0",
            description = "basicConstraints pathLen: 0 (default) lets this CA sign only workloads.")
    int pathLen;

    @Option(names = "--force", description = "Replace an existing ca-key.pem.")
    boolean force;

    private final CertsContext context;

    IntermediateCommand(CertsContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws CertsFailure, PkiException {
        KeyAlgorithm alg = key.resolve(spec, KeyAlgorithm.RSA_4096, 4096);
        Usage.positiveDays(spec, "--days", days);
        IntermediateSpec caSpec = caSpec();
        CaDirectory root = CaDirectory.loadRoot(spec, "--root-dir", rootDir);
        OutputDir dir = new OutputDir(out, force);
        dir.refuseToOverwriteKey(CaDirectory.CA_KEY);
        dir.create();

        KeyPair keys = Keys.generate(alg);
        X509Certificate ca = new CertificateIssuer(context.clock(), context.random())
                .intermediate(caSpec, keys.getPublic(), root.signer());
        List<X509Certificate> chain = new ArrayList<>(List.of(ca));
        chain.addAll(root.chainToRoot());
        // Check what we made before it leaves the process, with the same verifier the CA uses.
        ChainVerifier.verify(chain, root.roots(), context.clock().instant());

        dir.writeKey(CaDirectory.CA_KEY, Pem.writePrivateKey(keys.getPrivate()));
        dir.writePublic(CaDirectory.CA_CERT, Pem.write(ca));
        dir.writePublic(CaDirectory.ROOT_CERT, Pem.write(root.roots()));
        // Written last: the Makefile's target for the whole set.
        dir.writePublic(CaDirectory.CERT_CHAIN, Pem.write(chain));
        Report.written(spec, "intermediate CA " + Report.name(ca.getSubjectX500Principal()), ca,
                dir.path().resolve(CaDirectory.CA_KEY),
                dir.path().resolve(CaDirectory.CA_CERT), dir.path().resolve(CaDirectory.CERT_CHAIN),
                dir.path().resolve(CaDirectory.ROOT_CERT));
        return 0;
    }

    private IntermediateSpec caSpec() {
        if (pathLen < 0) {
            throw Usage.invalid(spec, "--path-len", pathLen, "must be 0 or more");
        }
        TrustDomain td = null;
        if (trustDomain != null && !trustDomain.isBlank()) {
            try {
                td = TrustDomain.parse(trustDomain);
            } catch (InvalidSpiffeIdException e) {
                throw Usage.invalid(spec, "--trust-domain", trustDomain, e.getMessage());
            }
        }
        // An empty --san-dns "" leaves the DNS SAN out.
        List<String> dns = sanDns.stream().filter(s -> !s.isBlank()).toList();
        try {
            return new IntermediateSpec(Subject.dn(org, cn, locality), Duration.ofDays(days), pathLen, td, false, dns);
        } catch (IllegalArgumentException e) {
            String setting = e.getMessage().contains("DNS SAN") ? "--san-dns" : "--org/--cn/--locality";
            throw Usage.error(spec, setting + ": " + e.getMessage());
        }
    }
}
