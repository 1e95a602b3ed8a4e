package dev.meshid.ca.rotate;

import dev.meshid.ca.bundle.AgentView;
import dev.meshid.ca.rotation.RootStatus;
import dev.meshid.ca.rotation.RotationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where a rotation stands, as the CA reports it. */
@Command(name = "status", mixinStandardHelpOptions = true, header = "Show roots, signer, rotation step and agents.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--ca-http", paramLabel = "HOST:PORT", required = true, description = "The CA's HTTP port.")
    String caHttp;

    private final Clock clock;

    StatusCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RotationReport r;
        try {
            r = CaHttp.report(caHttp);
        } catch (IOException e) {
            spec.commandLine().getErr().println("meshid ca rotate status: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return RotateCommand.REFUSED;
        }
        out.println("step: " + r.state().step().label());
        for (RootStatus root : r.state().roots()) {
            out.printf("root %s%s%n  subject %s%n  notAfter %s%n  no valid leaf depends on it after %s%s%n",
                    root.fingerprint(), root.signing() ? " (signing)" : "", root.subject(), root.notAfter(),
                    root.noLeafDependsAfter(), !root.signing() && !clock.instant().isBefore(root.noLeafDependsAfter())
                            ? " (safe to remove now)" : "");
        }
        out.printf("signer %s%n  notAfter %s%n  chain %s%n", r.state().signer().subject(), r.state().signer().notAfter(),
                String.join(" -> ", r.state().signer().chainFingerprints()));
        out.printf("agents: %d connected, %d acked bundle %s%n", r.agentsConnected(), r.agentsAcked(),
                r.bundleVersion().orElse("(none yet)"));
        for (AgentView a : r.agents()) {
            if (!a.ackedCurrent()) {
                out.printf("  not acked: %s (%s)%s%n", a.identity(), a.peer(),
                        a.lastError().map(e -> " refused: " + e).orElse(""));
            }
        }
        out.flush();
        return RotateCommand.OK;
    }
}
