package dev.meshid.ca.rotate;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.Certs;
import dev.meshid.pki.pem.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Step 1: the trust bundle becomes old ∪ new. */
@Command(name = "add-root", mixinStandardHelpOptions = true,
        header = "Add a new root to the trust bundle (signing is unchanged).")
final class AddRootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOptions where;
    @Option(names = "--new-root", paramLabel = "FILE", required = true, description = "The new root certificate (PEM).")
    Path newRoot;

    private final Clock clock;

    AddRootCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        return StepRunner.run(spec, where, clock, current -> {
            X509Certificate root;
            try {
                root = Pem.readCertificate(Pem.readFile(newRoot));
            } catch (PkiException e) {
                throw new RotationRefused("--new-root " + newRoot + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println("new root " + Certs.describe(root) + ", SHA-256 "
                    + Certs.fingerprint(root));
            return RotationSteps.addRoot(current, root, clock.instant());
        }, "added the new root to the trust bundle; next: wait until 'meshid ca rotate status' shows every agent "
                + "acked it, then 'meshid ca rotate switch'");
    }
}
