package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.chain.ChainVerifier;
import dev.meshid.pki.chain.VerifiedChain;
import dev.meshid.pki.id.InvalidSpiffeIdException;
import dev.meshid.pki.id.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshid certs verify}: checks a leaf-first chain against a trust bundle, now, and optionally the
 * leaf's SPIFFE ID. Exit 0 with {@code OK: ...}, or 1 with the exact reason.
 */
@Command(name = "verify", header = "Verify a chain against root(s), optionally its SPIFFE ID.", sortOptions = false,
        description = {"Verify a certificate chain (leaf first) against the root(s) in --root, at the current time,",
                "and optionally the leaf's SPIFFE ID. Prints OK and exits 0, or prints the reason and exits 1."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--root", required = true, paramLabel = "ROOT.pem",
            description = "Trusted root certificate(s), PEM.")
    Path rootFile;

    @Option(names = "--chain", required = true, paramLabel = "CHAIN.pem",
            description = "The chain to check, leaf first; a trailing root is allowed (cert-chain.pem works).")
    Path chainFile;

    @Option(names = "--spiffe-id", paramLabel = "ID",
            description = "Also require the leaf to carry exactly this SPIFFE ID.")
    String expectedId;

    private final CertsContext context;

    VerifyCommand(CertsContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws CertsFailure {
        SpiffeId expected = expected();
        requireFile("--root", rootFile);
        requireFile("--chain", chainFile);
        List<X509Certificate> roots = CaDirectory.readCertificates(rootFile);
        List<X509Certificate> chain = withoutTrailingRoots(CaDirectory.readCertificates(chainFile), roots);
        Instant now = context.clock().instant();
        VerifiedChain verified;
        try {
            verified = ChainVerifier.verify(chain, roots, now);
        } catch (PkiException e) {
            throw new CertsFailure("chain " + chainFile + " does not verify against " + rootFile + ": "
                    + e.getMessage() + rootFirstHint(chain));
        }
        X509Certificate leaf = verified.leaf();
        Optional<SpiffeId> id = verified.spiffeId();
        if (expected != null && !id.equals(Optional.of(expected))) {
            throw new CertsFailure("chain " + chainFile + " verifies, but its leaf "
                    + id.map(i -> "has SPIFFE ID " + i).orElse("has no SPIFFE ID") + ", not the expected " + expected);
        }
        String who = leaf.getBasicConstraints() < 0 && id.isPresent() ? id.get().toString()
                : Report.name(leaf.getSubjectX500Principal()) + id.map(i -> " (" + i + ")").orElse("");
        spec.commandLine().getOut().println("OK: " + who + ", valid until " + leaf.getNotAfter().toInstant() + " ("
                + TimeLeft.describe(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), now) + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }

    private SpiffeId expected() {
        if (expectedId == null) {
            return null;
        }
        try {
            return SpiffeId.parse(expectedId);
        } catch (InvalidSpiffeIdException e) {
            throw Usage.invalid(spec, "--spiffe-id", expectedId, e.getMessage());
        }
    }

    private void requireFile(String setting, Path file) {
        if (!Files.isRegularFile(file)) {
            throw Usage.invalid(spec, setting, file, Files.exists(file) ? "it is not a regular file" : "no such file");
        }
    }

    /** A chain file may end with the root itself (Istio's cert-chain.pem does); the root is the anchor, not a link. */
    private static List<X509Certificate> withoutTrailingRoots(List<X509Certificate> chain,
            List<X509Certificate> roots) {
        List<X509Certificate> out = new ArrayList<>(chain);
        while (out.size() > 1 && roots.contains(out.get(out.size() - 1))) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String rootFirstHint(List<X509Certificate> chain) {
        if (chain.size() > 1 && chain.get(0).getBasicConstraints() >= 0
                && chain.get(chain.size() - 1).getBasicConstraints() < 0) {
            return " (the file looks root-first, as Istio's Makefile writes workload-cert-chain.pem;"
                    + " meshid expects the leaf first)";
        }
        return "";
    }
}
