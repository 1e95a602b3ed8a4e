package dev.meshid.ca.rotate;

import dev.meshid.ca.rotation.RotationReport;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Step 3: drop a root no signer chains to and no valid leaf depends on. */
@Command(name = "remove-root", mixinStandardHelpOptions = true,
        header = "Remove an old root from the trust bundle once no valid leaf depends on it.")
final class RemoveRootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOptions where;
    @Option(names = "--fingerprint", paramLabel = "SHA256", required = true,
            description = "SHA-256 fingerprint of the root to remove (hex, as 'status' prints it).")
    String fingerprint;
    @Option(names = "--ca-http", paramLabel = "HOST:PORT",
            description = "The CA's HTTP port, to learn when no valid leaf depends on the root (needed).")
    String caHttp;

    private final Clock clock;

    RemoveRootCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        return StepRunner.run(spec, where, clock, current -> {
            Optional<RotationReport> report = caHttp == null ? Optional.empty() : Optional.of(CaHttp.report(caHttp));
            return RotationSteps.removeRoot(current, fingerprint, report, clock.instant());
        }, "removed the root from the trust bundle; the rotation is complete");
    }
}
