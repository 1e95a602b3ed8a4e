package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.InvalidSpiffeIdException;
import dev.meshid.pki.id.SpiffeId;
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
 * {@code meshid certs workload}: an X509-SVID for a SPIFFE ID, signed by a CA directory. The chain file
 * holds the workload certificate first, then the CA chain up to and including the root: the certificates
 * Istio's Makefile puts there, in the leaf-first order TLS needs (Istio's own file has them root-first).
 */
@Command(name = "workload", header = "Issue a workload certificate (X509-SVID) for a SPIFFE ID.", sortOptions = false,
        description = {"Issue a workload certificate (X509-SVID) for --spiffe-id, signed by the CA in --ca-dir:",
                "key.pem, workload-cert.pem, workload-cert-chain.pem (leaf first, up to the root) and",
                "root-cert.pem in --out. The key is EC P-256 by default."})
final class WorkloadCommand implements Callable<Integer> {
    static final String KEY = "key.pem";
    static final String CERT = "workload-cert.pem";
    static final String CHAIN = "workload-cert-chain.pem";

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--ca-dir", required = true, paramLabel = "DIR",
            description = "CA directory: ca-cert.pem, ca-key.pem, root-cert.pem [, cert-chain.pem],"
                    + " or a root CA directory.")
    Path caDir;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write into (created if needed).")
    Path out;

    @Option(names = "--spiffe-id", required = true, paramLabel = "ID",
            description = "The workload's SPIFFE ID, e.g. spiffe://cluster.local/ns/default/sa/default.")
    String spiffeId;

    @Option(names = "--days", paramLabel = "N", defaultValue = "1",
            description = "Validity in days (default ${DEFAULT-VALUE}); never past the CA's expiry.")
    int days;

    @Mixin
    KeyOptions key;

    @Option(names = "--org", paramLabel = "O", description = "Subject organization (default: none).")
    String org;

    @Option(names = "--cn", paramLabel = "CN",
            description = "Subject common name (default: none; the subject may be empty).")
    String cn;

    @Option(names = "--locality", paramLabel = "L", description = "Subject locality (default: none).")
    String locality;

    @Option(names = "--force", description = "Replace an existing key.pem.")
    boolean force;

    private final CertsContext context;

    WorkloadCommand(CertsContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws CertsFailure, PkiException {
        KeyAlgorithm alg = key.resolve(spec, KeyAlgorithm.EC_P256, 2048);
        Usage.positiveDays(spec, "--days", days);
        SvidSpec svidSpec = svidSpec();
        CaDirectory ca = CaDirectory.loadSigning(spec, "--ca-dir", caDir);
        OutputDir dir = new OutputDir(out, force);
        dir.refuseToOverwriteKey(KEY);
        dir.create();

        KeyPair keys = Keys.generate(alg);
        X509Certificate leaf = new CertificateIssuer(context.clock(), context.random())
                .svid(svidSpec, keys.getPublic(), ca.signer());
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        chain.addAll(ca.chainToRoot());
        ChainVerifier.verify(chain, ca.roots(), context.clock().instant());

        dir.writeKey(KEY, Pem.writePrivateKey(keys.getPrivate()));
        dir.writePublic(CERT, Pem.write(leaf));
        dir.writePublic(CaDirectory.ROOT_CERT, Pem.write(ca.roots()));
        dir.writePublic(CHAIN, Pem.write(chain));
        Report.written(spec, "workload certificate " + svidSpec.id(), leaf, dir.path().resolve(KEY),
                dir.path().resolve(CERT), dir.path().resolve(CHAIN), dir.path().resolve(CaDirectory.ROOT_CERT));
        return 0;
    }

    private SvidSpec svidSpec() {
        SpiffeId id;
        try {
            id = SpiffeId.parse(spiffeId);
        } catch (InvalidSpiffeIdException e) {
            throw Usage.invalid(spec, "--spiffe-id", spiffeId, e.getMessage());
        }
        if (!id.isWorkload()) {
            throw Usage.invalid(spec, "--spiffe-id", spiffeId,
                    "a workload ID needs a path, e.g. spiffe://" + id.trustDomain() + "/ns/default/sa/default");
        }
        String dn = Subject.dn(org, cn, locality);
        try {
            return new SvidSpec(id, Duration.ofDays(days), null, List.of(), dn.isEmpty() ? null : dn);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--org/--cn/--locality: " + e.getMessage());
        }
    }
}
